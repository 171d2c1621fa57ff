//go:build unix

package function

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the process in a group of its own, so that killing
// it also ends whatever it started (a shell script bootstrap's children).
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killProcess kills the process and its group.
func killProcess(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	if syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) != nil {
		cmd.Process.Kill()
	}
}
