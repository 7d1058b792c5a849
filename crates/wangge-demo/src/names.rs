//! Plausible Chinese names for demo residents: common surnames weighted roughly by how
//! often they occur in Chongqing, and given names from characters typical of each gender.
//! Every resident in the demo is invented; no one named in the seed reports appears.

use super::SplitMix64;
use wangge_core::household::Gender;
use wangge_core::PersonName;

/// Common surnames with rough relative weights.
const SURNAMES: &[(&str, u32)] = &[
    ("王", 70),
    ("李", 70),
    ("张", 65),
    ("刘", 55),
    ("陈", 50),
    ("杨", 40),
    ("黄", 25),
    ("赵", 22),
    ("吴", 22),
    ("周", 22),
    ("徐", 15),
    ("孙", 15),
    ("马", 14),
    ("朱", 13),
    ("胡", 13),
    ("郭", 12),
    ("何", 14),
    ("罗", 14),
    ("高", 10),
    ("林", 8),
    ("谭", 12),
    ("冉", 6),
    ("向", 6),
    ("秦", 6),
    ("蒋", 8),
    ("唐", 10),
    ("邓", 10),
    ("彭", 8),
    ("曾", 7),
    ("肖", 7),
    ("田", 7),
    ("董", 6),
    ("袁", 6),
    ("潘", 5),
    ("蔡", 5),
    ("余", 7),
    ("杜", 5),
    ("叶", 5),
    ("程", 5),
    ("苏", 4),
    ("魏", 4),
    ("吕", 4),
    ("丁", 4),
    ("任", 5),
    ("沈", 4),
    ("姚", 4),
    ("卢", 4),
    ("傅", 3),
    ("钟", 3),
    ("汪", 3),
    ("熊", 5),
    ("康", 3),
    ("付", 4),
    ("江", 3),
    ("廖", 4),
    ("韦", 3),
];

const MALE_CHARS: &[&str] = &[
    "建", "国", "明", "华", "军", "伟", "强", "勇", "平", "文", "志", "刚", "德", "林", "兵", "波", "涛", "斌", "杰",
    "成", "福", "贵", "忠", "海", "江", "川", "浩", "宇", "俊", "鹏", "超", "磊", "洪", "清", "祥", "全", "荣", "春",
    "发", "中",
];

const FEMALE_CHARS: &[&str] = &[
    "秀", "英", "芳", "兰", "琴", "梅", "丽", "红", "萍", "玉", "霞", "燕", "娟", "敏", "静", "婷", "慧", "莉", "芬",
    "珍", "琳", "雪", "倩", "颖", "佳", "欣", "蓉", "春", "桂", "凤", "淑", "艳",
];

/// A random surname.
pub(super) fn surname(rng: &mut SplitMix64) -> &'static str {
    rng.weighted_pick(SURNAMES)
}

/// A random given name of one or (mostly) two characters.
fn given_name(rng: &mut SplitMix64, gender: Gender) -> String {
    let chars = match gender {
        Gender::Male => MALE_CHARS,
        Gender::Female => FEMALE_CHARS,
    };
    let first = rng.pick_copied(chars);
    if rng.chance(250) {
        return first.to_owned();
    }
    let mut second = rng.pick_copied(chars);
    while second == first {
        second = rng.pick_copied(chars);
    }
    format!("{first}{second}")
}

/// A full name with the given surname.
pub(super) fn name_with(rng: &mut SplitMix64, surname: &str, gender: Gender) -> PersonName {
    let text = format!("{surname}{}", given_name(rng, gender));
    PersonName::parse(&text).expect("generated names are short and non-blank")
}

/// A full name with a random surname.
pub(super) fn name(rng: &mut SplitMix64, gender: Gender) -> PersonName {
    let s = surname(rng);
    name_with(rng, s, gender)
}

/// A random gender, half and half.
pub(super) fn gender(rng: &mut SplitMix64) -> Gender {
    if rng.chance(500) {
        Gender::Male
    } else {
        Gender::Female
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_two_or_three_characters() {
        let mut rng = SplitMix64::new(1);
        for _ in 0..500 {
            let n = name(&mut rng, Gender::Female);
            assert!((2..=3).contains(&n.as_str().chars().count()), "{n}");
        }
    }
}
