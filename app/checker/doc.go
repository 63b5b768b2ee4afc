// Package checker screens post drafts under the county bureau's rules for
// police new-media accounts (regulation Art. 18, 20 and 21; see
// shared/docs/domain.md and design.md §7).
//
// A check has two parts:
//
//   - Lexicon matching. The draft is normalised (see [Normalize]: NFKC, width
//     folding, lower case, traditional → simplified characters, dropping
//     spaces, punctuation, symbols and invisible characters) and matched with
//     an Aho–Corasick automaton built from the lexicon's normalised terms, so
//     "涉 密", "國保" and "反\u200b恐" still hit 涉密, 国保 and 反恐. A hit is
//     suppressed when one of the term's allow contexts (for example 反恐演练
//     for 反恐) covers it. Two-character terms do not match across a
//     sentence end or a line break (热爱祖国。保护环境 is not 国保), and no
//     term matches across the first line break, which ends a post's title.
//   - Personal-data detectors on a folded copy of the text: invisible
//     characters dropped as Normalize drops them, every decimal digit
//     (full-width, mathematical, Arabic-Indic …) made ASCII, with a map back
//     to the original offsets. They find resident ID numbers (GB 11643 check
//     digit and a real birth date), mobile numbers, vehicle plates
//     (including new-energy plates), bank cards (Luhn), street addresses and
//     minors, and report category art18.11 (Art. 18 item 11, personal
//     privacy). Numbers may be written in groups joined by up to three
//     spaces, dashes or dots (one line break at most).
//
// Every [Finding] carries the rule, category, action (BLOCK, NEEDS_APPROVAL or
// WARN), rune offsets into the original text, the original substring, the
// article, advice in Chinese and English, and the lexicon version. Offsets
// count Unicode code points of the text as Go's []rune conversion sees it
// (an invalid UTF-8 byte counts as one character).
//
// Decisions worth knowing:
//
//   - Lexicon hits are reported with Rule = the term's ID (ids may not
//     start with "pii.", which names the detectors). Two
//     terms with the same normalised text both report; overlapping hits
//     (涉密 inside 涉密文件) are all reported.
//   - An allow context must contain its term and be longer than it (after
//     normalisation; a context equal to the term would silence it); a hit
//     is suppressed only when an occurrence of the context covers the hit's
//     whole span.
//   - The traditional → simplified table (t2s.txt) holds about 2,700 common
//     one-to-one pairs, variant forms (衞, 湧, 彿) included; characters that
//     are also standard simplified ones (乾, 著, 瞭 …) are not converted.
//   - The detectors are heuristics tuned to avoid noise: ID numbers need a
//     valid check character and birth date (BLOCK); mobile numbers, plates,
//     Luhn-valid bank cards, addresses down to a house or flat number, and
//     minors named or aged under 18 next to a person word are WARN. A run
//     of digits is claimed by at most one of ID, mobile and bank card, in
//     that order. In a chain of joined groups every stretch of consecutive
//     groups is tried as an ID number or a bank card, so a number next to
//     one (序号3 410523 19900307 1234) does not hide it.
//
// A [Lexicon] is immutable and safe for concurrent use; [Builtin] is the small
// starter lexicon shipped with the app (HQ maintains the real one and sends it
// to stations in sync bundles, as JSON lines read by [ParseLexicon]).
// [RunCLI] implements the headless "mediadesk check" command.
package checker
