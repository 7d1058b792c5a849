//! Strings of the Roster: grid tree, households, people, units.

messages! {
    RosterMsg {
        Households => "住户", "Households";
    }
}
