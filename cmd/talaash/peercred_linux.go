package main

import (
	"net"
	"syscall"
)

// peerUID returns the uid of the process at the other end of c; -1 (no one
// allowed) when the kernel will not say.
func peerUID(c *net.UnixConn) (int, bool) {
	raw, err := c.SyscallConn()
	if err != nil {
		return -1, true
	}
	var cred *syscall.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil || cerr != nil {
		return -1, true
	}
	return int(cred.Uid), true
}
