//! Strings of the Visits: record a visit, due-visit list.

messages! {
    VisitMsg {
        RecordVisit => "记录走访", "Record a visit";
    }
}
