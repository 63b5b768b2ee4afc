// Package cli is the headless command line of the mediadesk binary: what
// an HQ IT person scripts and what tests drive. No window opens.
package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"golang.org/x/term"

	"mediadesk/app"
	"mediadesk/app/checker"
)

// Version is the program version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// Env is what a command sees of the outside world.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Config fills the store options (tests use cheap key derivation).
	Config func(dir string) app.Config
}

// OSEnv is the real process environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		Config: func(dir string) app.Config { return app.Config{Dir: dir} }}
}

// IsCommand reports whether args name a command-line command rather than
// window options: any first word that is not an option is taken for a
// command, so that a mistyped one is refused with the usage instead of
// opening the window.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "-h", "--help":
		return true
	}
	return !strings.HasPrefix(args[0], "-")
}

const usage = `用法 / usage:
  mediadesk                                   打开窗口 / open the window
  mediadesk init --data DIR --role station|hq --unit NAME --admin NAME
  mediadesk user add --data DIR --name NAME --role officer|leader|admin|hq-staff|hq-admin [--as ADMIN]
  mediadesk db export-plain --data DIR --out FILE [--as ADMIN]
  mediadesk check [--lexicon FILE] [FILE|-]
  mediadesk version
  mediadesk demo --data DIR [--units N] [--fast]
      演示县：宣传科和 N 个所队（默认 3，1–20），约两个月的真实工作和同步包；--fast 用弱密钥派生，仅供演示
      demo county: HQ and N stations (default 3, 1–20) with about two months of real work and bundles;
      --fast derives keys cheaply, for demos only
同步，宣传科 / sync, HQ:
  mediadesk hq enroll --data DIR --unit-id ID --unit NAME --out FILE|DIR
  mediadesk hq register --data DIR FILE --fingerprint "1234 5678 ..."
  mediadesk hq revoke --data DIR --unit-id ID
同步，所队 / sync, station:
  mediadesk join --data DIR --enrollment FILE --out FILE|DIR
  mediadesk keys rotate --data DIR
同步 / sync:
  mediadesk export --data DIR --out DIR [--unit ID|all]     打印写出的文件 / prints the files written
  mediadesk import --data DIR FILE|DIR...                   全部导入（或已导入过、无需导入）时退出码 0 / exit 0 when every file is in
  mediadesk verify FILE [--data DIR]                        有效 0，无效 1，无法打开数据（如密码不对）未核对 2 /
                                                            exit 0 valid, 1 not, 2 not checked: the store cannot be opened (e.g. wrong password)
  mediadesk inspect FILE                                    清单（JSON） / the manifest as JSON
  mediadesk stats --data DIR                                统计（JSON） / counts as JSON
  mediadesk keys show --data DIR
  mediadesk keys backup --data DIR --out FILE
  mediadesk keys restore --data DIR FILE
带 --data 的命令都可加 --as NAME 指定用户（默认：密码所属的管理员）。
Commands with --data take --as NAME to pick the user (default: the admin the password belongs to).
--out FILE|DIR：给出已有的文件夹时，文件以默认名（<单位>.mdenroll、<单位>-to-<宣传科>-registration.mdbundle）写入其中，否则写成该文件。
--out FILE|DIR: an existing folder receives the file under its default name (<unit>.mdenroll,
<unit>-to-<hq>-registration.mdbundle); any other path is the file to write.
密码取自环境变量 MEDIADESK_PASSWORD（否则提示输入），新用户密码取自 MEDIADESK_NEW_PASSWORD，
密钥备份口令取自 MEDIADESK_BACKUP_PASSPHRASE（否则在终端提示输入）。
Passwords come from MEDIADESK_PASSWORD (else a prompt); a new user's from MEDIADESK_NEW_PASSWORD;
the key backup passphrase from MEDIADESK_BACKUP_PASSPHRASE (else a prompt on the terminal).
`

// Run executes one command and returns the process exit code. Every
// failure prints one line saying what went wrong and what to do.
func Run(args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "version":
		fmt.Fprintf(env.Stdout, "mediadesk %s\n", Version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return 0
	case "check":
		return checker.RunCLI(args[1:], env.Stdin, env.Stdout, env.Stderr)
	case "init":
		err = runInit(args[1:], env)
	case "user":
		if len(args) < 2 || args[1] != "add" {
			err = usageError("user 只支持 add / user takes: add")
		} else {
			err = runUserAdd(args[2:], env)
		}
	case "db":
		if len(args) < 2 || args[1] != "export-plain" {
			err = usageError("db 只支持 export-plain / db takes: export-plain")
		} else {
			err = runExportPlain(args[2:], env)
		}
	case "hq":
		err = runGroup("hq", args[1:], env, map[string]command{"enroll": runEnroll, "register": runRegister, "revoke": runRevoke})
	case "keys":
		err = runGroup("keys", args[1:], env, map[string]command{"show": runKeysShow, "backup": runKeysBackup, "restore": runKeysRestore, "rotate": runKeysRotate})
	case "join":
		err = runJoin(args[1:], env)
	case "export":
		err = runExport(args[1:], env)
	case "import":
		err = runImport(args[1:], env)
	case "verify":
		err = runVerify(args[1:], env)
	case "inspect":
		err = runInspect(args[1:], env)
	case "stats":
		err = runStats(args[1:], env)
	case "demo":
		err = runDemo(args[1:], env)
	default:
		err = usageError("未知命令 " + args[0] + " / unknown command " + args[0])
	}
	if err != nil {
		var ue *usageErr
		if errors.As(err, &ue) {
			fmt.Fprintf(env.Stderr, "mediadesk: %s；运行 mediadesk help 查看用法 / run mediadesk help for usage\n", ue.msg)
			return 2
		}
		fmt.Fprintf(env.Stderr, "mediadesk: %s\n", oneLine(err.Error()))
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	return 0
}

// exitError is a failure with an exit code of its own: verify's 2 when
// it could not check the bundle because the store does not open, so that
// a script tells a wrong password from an invalid bundle (1).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

type usageErr struct{ msg string }

func (e *usageErr) Error() string { return e.msg }

func usageError(msg string) error { return &usageErr{msg: msg} }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// command runs one command on its arguments.
type command func(args []string, env Env) error

// runGroup runs the subcommand args[0] of a command group.
func runGroup(group string, args []string, env Env, subs map[string]command) error {
	names := slices.Sorted(maps.Keys(subs))
	if len(args) == 0 || subs[args[0]] == nil {
		list := strings.Join(names, ", ")
		return usageError(fmt.Sprintf("%s 只支持 %s / %s takes: %s", group, list, group, list))
	}
	return subs[args[0]](args[1:], env)
}

// flagSet returns a flag set that reports errors as usage errors.
func flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError(flagError(err))
	}
	return nil
}

// flagError says the flag package's complaint in both languages, with
// the flag written as the usage writes it (--name).
func flagError(err error) string {
	msg := err.Error()
	for _, c := range []struct{ prefix, zh, en string }{
		{"flag needs an argument: -", "选项 --%s 缺少值", "flag --%s needs a value"},
		{"flag provided but not defined: -", "没有选项 --%s", "unknown flag --%s"},
	} {
		if name, ok := strings.CutPrefix(msg, c.prefix); ok {
			name = strings.TrimPrefix(name, "-")
			return fmt.Sprintf(c.zh, name) + " / " + fmt.Sprintf(c.en, name)
		}
	}
	return msg
}

// parseArgs parses flags placed anywhere among args (the flag package
// stops at the first other argument) and returns the other arguments;
// everything after "--" is an argument.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if used := len(args) - len(left); len(left) == 0 || (used > 0 && args[used-1] == "--") {
			return append(rest, left...), nil
		}
		rest, args = append(rest, left[0]), left[1:]
	}
}

func dataDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	return app.DefaultDataDir()
}

// terminal returns the command's standard input if it is a terminal.
func terminal(env Env) (*os.File, bool) {
	f, ok := env.Stdin.(*os.File)
	return f, ok && term.IsTerminal(int(f.Fd()))
}

// readHidden prompts on the terminal f and reads a line without echo.
func readHidden(env Env, f *os.File, prompt string) (string, error) {
	fmt.Fprint(env.Stderr, prompt)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(env.Stderr)
	return string(b), err
}

// password reads a password from the named variable, else prompts on the
// terminal.
func password(env Env, variable, prompt string) (string, error) {
	if v := env.Getenv(variable); v != "" {
		return v, nil
	}
	if f, ok := terminal(env); ok {
		return readHidden(env, f, prompt)
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("没有密码：请设置 %s 或在终端中运行 / no password: set %s or run in a terminal", variable, variable)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// newPassword reads the new admin's password for init: from
// MEDIADESK_PASSWORD, else twice from the terminal (a mistyped one would
// leave only the recovery key to open the store).
func newPassword(env Env) (string, error) {
	if v := env.Getenv("MEDIADESK_PASSWORD"); v != "" {
		return v, nil
	}
	f, ok := terminal(env)
	if !ok {
		return password(env, "MEDIADESK_PASSWORD", "")
	}
	pw, err := readHidden(env, f, "管理员密码 / admin password: ")
	if err != nil {
		return "", err
	}
	again, err := readHidden(env, f, "再输入一次 / once more: ")
	if err == nil && again != pw {
		err = errors.New("两次输入的密码不同，请重新运行 / the two passwords differ: run it again")
	}
	return pw, err
}

func runInit(args []string, env Env) error {
	fs := flagSet("init")
	dir := fs.String("data", "", "")
	role := fs.String("role", "", "")
	unit := fs.String("unit", "", "")
	admin := fs.String("admin", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *role != "station" && *role != "hq" {
		return usageError("--role 必须是 station 或 hq / --role must be station or hq")
	}
	d, err := dataDir(*dir)
	if err != nil {
		return err
	}
	pw, err := newPassword(env)
	if err != nil {
		return err
	}
	s, rk, err := app.Setup(env.Config(d), app.SetupRequest{Kind: app.Kind(*role), UnitName: *unit, AdminName: *admin, Password: pw})
	if err != nil {
		return fieldHint(err)
	}
	if err := s.Close(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已初始化 / initialised: %s\n恢复密钥（只显示这一次，请抄写并妥善保管）/ recovery key (shown once, write it down):\n%s\n", d, rk)
	return nil
}

// fieldHint names the flag behind a form-field error.
func fieldHint(err error) error {
	var fe *app.FieldError
	if errors.As(err, &fe) {
		flags := map[string]string{"unit_name": "--unit", "admin_name": "--admin", "name": "--name", "role": "--role",
			"password": "MEDIADESK_PASSWORD", "display_name": "--name", "kind": "--role", "out": "--out",
			"unit_id": "--unit-id", "passphrase": backupVar}
		if f, ok := flags[fe.Field]; ok {
			return fmt.Errorf("%s: %s", f, fe.Msg)
		}
	}
	return err
}

// storeFlags are the flags of every command that opens a store.
type storeFlags struct {
	dir, as *string
}

func addStoreFlags(fs *flag.FlagSet) storeFlags {
	return storeFlags{dir: fs.String("data", "", ""), as: fs.String("as", "", "")}
}

func (f storeFlags) signIn(env Env) (*app.Session, error) { return signIn(env, *f.dir, *f.as) }

// stringFlag is one string flag of a command besides --data and --as.
type stringFlag struct {
	name  string  // the flag without its dashes
	value *string // receives the value given, else def
	def   string
	// required names the flag in the message that refuses an empty
	// value; "" when the flag may be left out.
	required string
}

// need declares a string flag that must be given a value.
func need(name string, value *string) stringFlag {
	return stringFlag{name: name, value: value, required: "--" + name}
}

// optional declares a string flag that holds def when left out.
func optional(name string, value *string, def string) stringFlag {
	return stringFlag{name: name, value: value, def: def}
}

// parseStoreFlags parses the flags of a command that opens a store and
// takes no arguments: --data, --as and flags. It refuses the first
// required flag left empty, in the order given.
func parseStoreFlags(name string, args []string, flags ...stringFlag) (storeFlags, error) {
	sf, _, err := parseStoreCommand(name, args, flags, func(fs *flag.FlagSet, args []string) ([]string, error) {
		rest, err := parseArgs(fs, args)
		if err == nil && len(rest) > 0 {
			// A word left over is a mistake (a flag's name forgotten): acting
			// without it could export to every station or use another store.
			err = usageError(fmt.Sprintf("多余的参数 %q（是否漏写了选项名？）/ unexpected argument %q (a flag's name left out?)", rest[0], rest[0]))
		}
		return nil, err
	})
	return sf, err
}

// parseStoreArgs is parseStoreFlags for a command that also takes
// arguments, with its flags anywhere among them (parseArgs); it returns
// the arguments.
func parseStoreArgs(name string, args []string, flags ...stringFlag) (storeFlags, []string, error) {
	return parseStoreCommand(name, args, flags, parseArgs)
}

// parseStoreCommand declares --data, --as and flags on the flag set of
// the command name, parses args with parseWith and checks the required
// flags.
func parseStoreCommand(name string, args []string, flags []stringFlag,
	parseWith func(*flag.FlagSet, []string) ([]string, error)) (storeFlags, []string, error) {
	fs := flagSet(name)
	sf := addStoreFlags(fs)
	for _, f := range flags {
		fs.StringVar(f.value, f.name, f.def, "")
	}
	rest, err := parseWith(fs, args)
	if err != nil {
		return sf, nil, err
	}
	for _, f := range flags {
		if f.required != "" {
			if err := required(*f.value, f.required); err != nil {
				return sf, nil, err
			}
		}
	}
	return sf, rest, nil
}

// run signs in as the flags say, runs body with the session and closes it.
func (f storeFlags) run(env Env, body func(*app.Session) error) error {
	s, err := f.signIn(env)
	if err != nil {
		return err
	}
	defer s.Close()
	return body(s)
}

// signIn opens the store as --as, or as the first admin when empty.
func signIn(env Env, dir, as string) (*app.Session, error) {
	d, err := dataDir(dir)
	if err != nil {
		return nil, err
	}
	if !app.IsSetUp(d) {
		return nil, fmt.Errorf("%s 中没有数据，请先运行 mediadesk init / no store in %s: run mediadesk init first", d, d)
	}
	pw, err := password(env, "MEDIADESK_PASSWORD", "密码 / password: ")
	if err != nil {
		return nil, err
	}
	cfg := env.Config(d)
	if as == "" {
		return app.SignInFirstAdmin(cfg, pw)
	}
	return app.SignIn(cfg, as, pw)
}

func runUserAdd(args []string, env Env) error {
	var name, role string
	sf, err := parseStoreFlags("user add", args, optional("name", &name, ""), optional("role", &role, ""))
	if err != nil {
		return err
	}
	newPW := env.Getenv("MEDIADESK_NEW_PASSWORD")
	if newPW == "" {
		return fmt.Errorf("请在 MEDIADESK_NEW_PASSWORD 中给出新用户的密码 / set the new user's password in MEDIADESK_NEW_PASSWORD")
	}
	return sf.run(env, func(s *app.Session) error {
		u, err := s.AddUser(app.NewUser{Name: name, Role: app.Role(role), Password: newPW})
		var fe *app.FieldError
		if errors.As(err, &fe) && fe.Field == "password" {
			return fmt.Errorf("MEDIADESK_NEW_PASSWORD: %s", fe.Msg) // the new user's, not the admin's
		}
		if err != nil {
			return fieldHint(err)
		}
		fmt.Fprintf(env.Stdout, "已添加用户 / user added: %s (%s)\n", u.Name, u.Role)
		return nil
	})
}

func runExportPlain(args []string, env Env) error {
	var out string
	sf, err := parseStoreFlags("db export-plain", args, stringFlag{name: "out", value: &out, required: "--out FILE"})
	if err != nil {
		return err
	}
	return sf.run(env, func(s *app.Session) error {
		if err := s.ExportPlain(out); err != nil {
			return fieldHint(err)
		}
		fmt.Fprintf(env.Stdout, "已导出未加密数据库，请妥善保管 / plain database written, keep it safe: %s\n", out)
		return nil
	})
}
