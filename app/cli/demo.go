package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"mediadesk/app"
)

// runDemo builds a demo county (app.BuildDemo) in --data and prints how
// to open each install and whom to sign in as.
func runDemo(args []string, env Env) error {
	fs := flagSet("demo")
	dir := fs.String("data", "", "")
	units := fs.Int("units", app.DefaultDemoUnits, "")
	fast := fs.Bool("fast", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(*dir, "--data"); err != nil {
		return err // never the user's own data directory by default
	}
	if *units < 1 || *units > app.MaxDemoUnits {
		return usageError(fmt.Sprintf("--units 应为 1 到 %d / --units is 1 to %d", app.MaxDemoUnits, app.MaxDemoUnits))
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	store := env.Config(abs).Store
	if *fast {
		store = app.FastDemoStore
	}
	fmt.Fprintf(env.Stderr, "正在建立演示县（宣传科和 %d 个所队，约两个月的工作）…… / building the demo county (HQ and %d stations, about two months of work)…\n", *units, *units)
	county, err := app.BuildDemo(app.DemoRequest{Dir: abs, Units: *units, Store: store})
	if err != nil {
		return fieldHint(err)
	}
	printDemo(env.Stdout, county, *fast)
	return nil
}

// printDemo lists each install of the county: how to open it, its users
// and its recovery key.
func printDemo(w io.Writer, county app.DemoCounty, fast bool) {
	fmt.Fprintf(w, "演示县已建成 / demo county built: %s\n", filepath.Dir(county.HQ.Dir))
	if fast {
		fmt.Fprintln(w, "注意：--fast 使用弱密钥派生参数，仅供演示，切勿存放真实数据 / note: --fast uses cheap key derivation, for demos only: never keep real data in it")
	}
	for _, inst := range append([]app.DemoInstall{county.HQ}, county.Stations...) {
		fmt.Fprintf(w, "\n%s（%s）\n  打开 / open:  mediadesk --data %s\n", inst.UnitName, inst.UnitID, inst.Dir)
		for _, u := range inst.Users {
			fmt.Fprintf(w, "  %-9s %-9s %s  密码 / password: %s\n", u.Name, u.Role, u.DisplayName, u.Password)
		}
		fmt.Fprintf(w, "  恢复密钥 / recovery key: %s\n", inst.RecoveryKey)
	}
	fmt.Fprintf(w, "\n同步包（U 盘）/ bundles exchanged (the USB stick): %s\n已发布考核 / assessment published: %s\n", county.Bundles, county.Period)
}
