// Command mediadesk is Media Desk (平安汤阴 新媒体工作台): with no
// arguments it opens the window, with a command it runs headless.
package main

import (
	"os"

	"mediadesk/app/cli"
	"mediadesk/ui"
)

func main() {
	args := os.Args[1:]
	if cli.IsCommand(args) {
		attachConsole()
		os.Exit(cli.Run(args, cli.OSEnv()))
	}
	os.Exit(ui.Main(args))
}
