package checker

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// maxInputBytes bounds the text the CLI screens.
const maxInputBytes = 64 << 20

const cliUsage = `用法 / usage: mediadesk check [--lexicon 词库文件] [文件|-]

检查一篇 UTF-8 文本（省略文件或写 - 时读标准输入），每个问题输出一行 JSON：
rule、category、action、start、end、text（start/end 是原文的字符偏移，end 不含；
开头的字节顺序标记不计入）。默认用内置词库，--lexicon 指定 JSON 行格式的词库文件代替。
退出码：0 没有问题，1 有问题，2 输入有误（文件读不了、不是 UTF-8、词库有误）。

Screens a UTF-8 text file (standard input when FILE is - or absent) and prints
one JSON object per finding with keys rule, category, action, start, end, text
(character offsets into the text, end exclusive, a leading byte-order mark not
counted). Uses the built-in lexicon, or the JSON-lines lexicon given with
--lexicon instead. Exit status: 0 no finding, 1 findings, 2 bad input.
`

// cliFinding is the JSON line printed for a finding.
type cliFinding struct {
	Rule     string `json:"rule"`
	Category string `json:"category"`
	Action   Action `json:"action"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Text     string `json:"text"`
}

// RunCLI runs "mediadesk check [--lexicon FILE] [FILE|-]"; args excludes the
// word "check". It screens a UTF-8 text (standard input when FILE is "-" or
// absent) with the built-in lexicon, or with the lexicon file instead, and
// prints one JSON object per finding per line to stdout, with keys rule,
// category, action, start, end and text (rune offsets into the text; a
// leading byte-order mark is not part of the text). It returns the exit
// status: 0 with no finding, 1 with any, 2 on bad input (bad arguments, an
// unreadable file, invalid UTF-8, a bad lexicon), after one line on stderr
// that says what went wrong and what to do.
func RunCLI(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	failLine := func(msg string) int {
		fmt.Fprintln(stderr, "mediadesk check："+strings.ReplaceAll(msg, "\n", "；"))
		return 2
	}
	fail := func(zh, en string) int { return failLine(zh + " / " + en) }
	fs := flag.NewFlagSet("mediadesk check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	lexPath := fs.String("lexicon", "", "JSON-lines lexicon file used instead of the built-in one")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, cliUsage)
			return 0
		}
		return fail("参数有误（"+err.Error()+"），用法：mediadesk check [--lexicon 词库文件] [文件|-]",
			"bad arguments ("+err.Error()+"); usage: mediadesk check [--lexicon FILE] [FILE|-]")
	}
	if fs.NArg() > 1 {
		return fail("一次只能检查一个文件，用法：mediadesk check [--lexicon 词库文件] [文件|-]",
			"check one file at a time; usage: mediadesk check [--lexicon FILE] [FILE|-]")
	}

	lex := Builtin()
	if *lexPath != "" {
		l, msg := loadLexiconFile(*lexPath)
		if l == nil {
			return failLine(msg)
		}
		lex = l
	}

	name := fs.Arg(0)
	var (
		data []byte
		err  error
	)
	if name == "" || name == "-" {
		name = "标准输入"
		data, err = io.ReadAll(io.LimitReader(stdin, maxInputBytes+1))
	} else {
		data, err = readFileLimited(name, maxInputBytes)
	}
	if err != nil {
		return fail("读不了 "+name+"（"+err.Error()+"），请检查路径和权限",
			"cannot read "+name+" ("+err.Error()+"); check the path and permissions")
	}
	if len(data) > maxInputBytes {
		return fail(fmt.Sprintf("%s 超过 %d MiB，请分段检查", name, maxInputBytes>>20),
			fmt.Sprintf("%s is over %d MiB; check it in parts", name, maxInputBytes>>20))
	}
	if !utf8.Valid(data) {
		return fail(name+" 不是有效的 UTF-8 文本，请另存为 UTF-8 编码后重试",
			name+" is not valid UTF-8; save it as UTF-8 and retry")
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))

	findings := lex.Check(string(data))
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, f := range findings {
		if err := enc.Encode(cliFinding{f.Rule, f.Category, f.Action, f.Start, f.End, f.Text}); err != nil {
			return fail("写输出失败（"+err.Error()+"）", "writing the output failed ("+err.Error()+")")
		}
	}
	if err := w.Flush(); err != nil {
		return fail("写输出失败（"+err.Error()+"）", "writing the output failed ("+err.Error()+")")
	}
	if len(findings) > 0 {
		return 1
	}
	return 0
}

// readFileLimited reads at most limit+1 bytes of the named file.
func readFileLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// loadLexiconFile parses and compiles a lexicon file. Its version is
// "file:" + base name + "@" + the first 12 hex digits of its SHA-256, so a
// finding names the exact lexicon. On failure it returns nil and a one-line,
// bilingual message.
func loadLexiconFile(path string) (*Lexicon, string) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "读不了词库 " + path + "（" + err.Error() + "），请检查路径和权限 / cannot read the lexicon " +
			path + " (" + err.Error() + "); check the path and permissions"
	}
	defer f.Close()
	h := sha256.New()
	terms, err := ParseLexicon(io.TeeReader(f, h))
	if err == nil && len(terms) == 0 {
		err = errors.New("没有词条，请检查是否选错了文件 / it has no terms; check that it is the right file")
	}
	if err != nil {
		return nil, "词库 " + path + " 有误，请修改后重试 / the lexicon " + path + " is invalid, fix it and retry：" + err.Error()
	}
	sum := hex.EncodeToString(h.Sum(nil))[:12]
	version := "file:" + filepath.Base(path) + "@" + sum
	if len(version) > 64 {
		version = "file@" + sum
	}
	l, err := Compile(version, terms)
	if err != nil {
		return nil, "词库 " + path + " 有误，请修改后重试 / the lexicon " + path + " is invalid, fix it and retry：" + err.Error()
	}
	return l, ""
}
