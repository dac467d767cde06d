//! Whole numbers written out in words, as invoices and cheques state amounts: Persian
//! (`یک میلیون و دویست و پنجاه هزار`) and English (`one million two hundred fifty thousand`).

const PERSIAN_ONES: [&str; 20] = [
    "صفر",
    "یک",
    "دو",
    "سه",
    "چهار",
    "پنج",
    "شش",
    "هفت",
    "هشت",
    "نه",
    "ده",
    "یازده",
    "دوازده",
    "سیزده",
    "چهارده",
    "پانزده",
    "شانزده",
    "هفده",
    "هجده",
    "نوزده",
];
const PERSIAN_TENS: [&str; 10] = ["", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود"];
const PERSIAN_HUNDREDS: [&str; 10] = ["", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد"];
/// 10^3 to 10^18 on the short scale, which Iranian usage follows (میلیارد for 10^9).
const PERSIAN_SCALES: [&str; 7] = ["", "هزار", "میلیون", "میلیارد", "تریلیون", "کوادریلیون", "کوینتیلیون"];

const ENGLISH_ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const ENGLISH_TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const ENGLISH_SCALES: [&str; 7] = ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"];

/// `n` in Persian words, each group of three digits joined by «و»: 1,250,000 is
/// `یک میلیون و دویست و پنجاه هزار`. A thousand is `یک هزار`, as amounts are written on
/// cheques and invoices so that nothing can be put before it.
pub fn persian_words(n: u64) -> String {
    if n == 0 {
        return PERSIAN_ONES[0].to_owned();
    }
    let mut parts = Vec::new();
    for (scale, group) in groups_of_three(n).into_iter().enumerate().rev() {
        if group == 0 {
            continue;
        }
        let words = persian_below_thousand(group);
        parts.push(if scale == 0 { words } else { format!("{words} {}", PERSIAN_SCALES[scale]) });
    }
    parts.join(" و ")
}

fn persian_below_thousand(n: u16) -> String {
    let (hundreds, rest) = (usize::from(n / 100), usize::from(n % 100));
    let mut parts = Vec::new();
    if hundreds > 0 {
        parts.push(PERSIAN_HUNDREDS[hundreds]);
    }
    if rest >= 20 {
        parts.push(PERSIAN_TENS[rest / 10]);
        if rest % 10 > 0 {
            parts.push(PERSIAN_ONES[rest % 10]);
        }
    } else if rest > 0 {
        parts.push(PERSIAN_ONES[rest]);
    }
    parts.join(" و ")
}

/// `n` in English words, lower case, without "and": 1,250,021 is
/// `one million two hundred fifty thousand twenty-one`.
pub fn english_words(n: u64) -> String {
    if n == 0 {
        return ENGLISH_ONES[0].to_owned();
    }
    let mut parts = Vec::new();
    for (scale, group) in groups_of_three(n).into_iter().enumerate().rev() {
        if group == 0 {
            continue;
        }
        parts.push(english_below_thousand(group));
        if scale > 0 {
            parts.push(ENGLISH_SCALES[scale].to_owned());
        }
    }
    parts.join(" ")
}

fn english_below_thousand(n: u16) -> String {
    let (hundreds, rest) = (usize::from(n / 100), usize::from(n % 100));
    let mut parts = Vec::new();
    if hundreds > 0 {
        parts.push(format!("{} hundred", ENGLISH_ONES[hundreds]));
    }
    if rest >= 20 {
        let tens = ENGLISH_TENS[rest / 10];
        parts.push(if rest % 10 > 0 { format!("{tens}-{}", ENGLISH_ONES[rest % 10]) } else { tens.to_owned() });
    } else if rest > 0 {
        parts.push(ENGLISH_ONES[rest].to_owned());
    }
    parts.join(" ")
}

/// `n`'s groups of three digits, least significant first (u64 has at most seven).
fn groups_of_three(mut n: u64) -> Vec<u16> {
    let mut groups = Vec::new();
    while n > 0 {
        groups.push((n % 1000) as u16);
        n /= 1000;
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_words_join_groups_and_their_parts_with_va() {
        let cases = [
            (0, "صفر"),
            (7, "هفت"),
            (18, "هجده"),
            (20, "بیست"),
            (21, "بیست و یک"),
            (105, "صد و پنج"),
            (999, "نهصد و نود و نه"),
            (1_000, "یک هزار"),
            (1_001, "یک هزار و یک"),
            (12_000, "دوازده هزار"),
            (1_250_000, "یک میلیون و دویست و پنجاه هزار"),
            (2_000_000_500, "دو میلیارد و پانصد"),
            (1_000_000_000_000_000, "یک کوادریلیون"),
        ];
        for (n, words) in cases {
            assert_eq!(persian_words(n), words, "{n}");
        }
        assert!(persian_words(u64::MAX).starts_with("هجده کوینتیلیون و چهارصد و چهل و شش کوادریلیون"));
    }

    #[test]
    fn english_words_hyphenate_tens_and_skip_empty_groups() {
        let cases = [
            (0, "zero"),
            (13, "thirteen"),
            (40, "forty"),
            (99, "ninety-nine"),
            (100, "one hundred"),
            (1_000_001, "one million one"),
            (1_250_021, "one million two hundred fifty thousand twenty-one"),
            (7_000_000_000, "seven billion"),
        ];
        for (n, words) in cases {
            assert_eq!(english_words(n), words, "{n}");
        }
    }
}
