//! ISO 3166-1 alpha-2 codes (officially assigned), for validating country codes.

const ASSIGNED: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT \
MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG \
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// True when `code` is an officially assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_assigned(code: &str) -> bool {
    code.len() == 2 && ASSIGNED.split_ascii_whitespace().any(|c| c == code)
}

/// Country names and common aliases, in English and Chinese, for importers
/// that meet "Germany", "USA" or "日本" where a code belongs
/// (docs/interop.md, "Country names"). Matched case-insensitively, with
/// dots and extra spaces ignored.
const NAMES: &[(&str, &[&str])] = &[
    (
        "AE",
        &["united arab emirates", "uae", "阿联酋", "阿拉伯联合酋长国"],
    ),
    ("AR", &["argentina", "阿根廷"]),
    ("AT", &["austria", "österreich", "奥地利"]),
    ("AU", &["australia", "澳大利亚", "澳洲"]),
    ("BE", &["belgium", "belgique", "比利时"]),
    ("BR", &["brazil", "brasil", "巴西"]),
    ("CA", &["canada", "加拿大"]),
    ("CH", &["switzerland", "schweiz", "suisse", "瑞士"]),
    ("CL", &["chile", "智利"]),
    (
        "CN",
        &[
            "china",
            "prc",
            "people's republic of china",
            "mainland china",
            "中国",
            "中华人民共和国",
            "中国大陆",
        ],
    ),
    ("CZ", &["czech republic", "czechia", "捷克"]),
    (
        "DE",
        &[
            "germany",
            "deutschland",
            "federal republic of germany",
            "德国",
        ],
    ),
    ("DK", &["denmark", "丹麦"]),
    ("ES", &["spain", "españa", "西班牙"]),
    ("FI", &["finland", "芬兰"]),
    ("FR", &["france", "法国"]),
    (
        "GB",
        &[
            "united kingdom",
            "uk",
            "great britain",
            "britain",
            "england",
            "scotland",
            "wales",
            "英国",
        ],
    ),
    ("HK", &["hong kong", "中国香港", "香港"]),
    ("HU", &["hungary", "匈牙利"]),
    ("ID", &["indonesia", "印度尼西亚", "印尼"]),
    ("IE", &["ireland", "爱尔兰"]),
    ("IL", &["israel", "以色列"]),
    ("IN", &["india", "印度"]),
    ("IT", &["italy", "italia", "意大利"]),
    ("JP", &["japan", "nippon", "日本"]),
    (
        "KR",
        &[
            "south korea",
            "korea",
            "republic of korea",
            "korea, republic of",
            "韩国",
            "南韩",
        ],
    ),
    ("MX", &["mexico", "墨西哥"]),
    ("MY", &["malaysia", "马来西亚"]),
    ("NL", &["netherlands", "the netherlands", "holland", "荷兰"]),
    ("NO", &["norway", "挪威"]),
    ("NZ", &["new zealand", "新西兰"]),
    ("PH", &["philippines", "菲律宾"]),
    ("PL", &["poland", "波兰"]),
    ("PT", &["portugal", "葡萄牙"]),
    ("RU", &["russia", "russian federation", "俄罗斯"]),
    ("SA", &["saudi arabia", "沙特阿拉伯", "沙特"]),
    ("SE", &["sweden", "瑞典"]),
    ("SG", &["singapore", "新加坡"]),
    ("TH", &["thailand", "泰国"]),
    ("TR", &["turkey", "türkiye", "土耳其"]),
    ("TW", &["taiwan", "中国台湾", "台湾"]),
    ("UA", &["ukraine", "乌克兰"]),
    (
        "US",
        &[
            "united states",
            "united states of america",
            "usa",
            "america",
            "美国",
        ],
    ),
    ("VN", &["vietnam", "viet nam", "越南"]),
    ("ZA", &["south africa", "南非"]),
];

/// Folds a country name for lookup: lower case, dots dropped, spaces collapsed.
fn fold(name: &str) -> String {
    name.to_lowercase()
        .replace('.', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The code of a country written as a code in any case (`us`), a name or an
/// alias in English or Chinese (`Germany`, `USA`, `U.K.`, `日本`).
pub fn code_of(text: &str) -> Option<&'static str> {
    let upper = text.trim().to_ascii_uppercase();
    if let Some(code) = ASSIGNED.split_ascii_whitespace().find(|c| *c == upper) {
        return Some(code);
    }
    let folded = fold(text);
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&folded.as_str()))
        .map(|(code, _)| *code)
}

/// The hint for a text that is not an assigned code: the code it means (`us` →
/// `US`, `UK` → `GB`, `Germany` → `DE`), a word on the EU, or the general rule.
pub fn code_hint(text: &str) -> String {
    match text.trim() {
        "EU" | "eu" => {
            return "the EU is not a country: list the member states that produce it (e.g. DE, FR, NL)".into()
        }
        "UK" | "uk" => return "the United Kingdom's ISO code is `GB`".into(),
        _ => {}
    }
    match code_of(text) {
        Some(code) if text.trim().len() == 2 => format!("country codes are upper case: `{code}`"),
        Some(code) => format!("write the ISO code: `{code}`"),
        None => "use an ISO 3166-1 alpha-2 code such as CN, US, DE, JP".into(),
    }
}

/// The known country name closest to `text` (for "did you mean"), with its code.
/// Short texts (codes such as `XX`) get none: every two-letter name is near them.
pub fn closest_name(text: &str) -> Option<(&'static str, &'static str)> {
    let folded = fold(text);
    if folded.chars().count() < 4 {
        return None;
    }
    let all: Vec<&'static str> = NAMES.iter().flat_map(|(_, n)| n.iter().copied()).collect();
    let best = crate::load::closest(&folded, &all)?;
    NAMES
        .iter()
        .find(|(_, n)| n.contains(&best))
        .map(|(code, _)| (best, *code))
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_and_unknown_codes() {
        assert!(super::is_assigned("CN"));
        assert!(super::is_assigned("US"));
        assert!(super::is_assigned("ZW"));
        assert!(!super::is_assigned("XX"));
        assert!(!super::is_assigned("us"));
        assert!(!super::is_assigned("USA"));
        assert_eq!(super::ASSIGNED.split_ascii_whitespace().count(), 249);
    }

    #[test]
    fn names_and_aliases_in_english_and_chinese() {
        use super::code_of;
        for (text, code) in [
            ("Germany", "DE"),
            ("USA", "US"),
            ("U.S.A.", "US"),
            ("United  States", "US"),
            ("UK", "GB"),
            ("日本", "JP"),
            ("德国", "DE"),
            ("us", "US"),
            ("cn", "CN"),
            ("South Korea", "KR"),
        ] {
            assert_eq!(code_of(text), Some(code), "{text}");
        }
        assert_eq!(code_of("Atlantis"), None);
        assert_eq!(code_of("XX"), None);
        for (code, names) in super::NAMES {
            assert!(super::is_assigned(code), "{code}");
            for n in *names {
                assert_eq!(super::fold(n), *n, "names are stored folded: {n}");
            }
        }
        assert_eq!(super::closest_name("Germani"), Some(("germany", "DE")));
    }
}
