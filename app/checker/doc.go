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
//     for 反恐) covers it.
//   - Personal-data detectors on the original text (full-width digits folded):
//     resident ID numbers (GB 11643 check digit and a real birth date),
//     mobile numbers, vehicle plates (including new-energy plates), bank
//     cards (Luhn), street addresses and minors. These report category
//     art18.11 (Art. 18 item 11, personal privacy).
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
//   - An allow context must contain its term; a hit is suppressed only when
//     an occurrence of the context covers the hit's whole span.
//   - The traditional → simplified table (t2s.txt) holds about 2,600 common
//     one-to-one pairs; characters that are also standard simplified ones
//     (乾, 著, 瞭 …) are not converted.
//   - The detectors are heuristics tuned to avoid noise: ID numbers need a
//     valid check character and birth date (BLOCK); mobile numbers, plates,
//     Luhn-valid bank cards, addresses down to a house or flat number, and
//     minors named or aged under 18 next to a person word are WARN. A run
//     of digits is claimed by at most one of ID, mobile and bank card, in
//     that order.
//
// A [Lexicon] is immutable and safe for concurrent use; [Builtin] is the small
// starter lexicon shipped with the app (HQ maintains the real one and sends it
// to stations in sync bundles, as JSON lines read by [ParseLexicon]).
// [RunCLI] implements the headless "mediadesk check" command.
package checker
