// Package durability holds the emulator's end-to-end durability tests: a
// crash harness that kills a child emulator with SIGKILL at random points
// (during writes, multipart Completes and journal compactions) and checks
// every acknowledged write after restart, and a load test of concurrent
// clients on overlapping keys with frequent compaction. It has no code of
// its own.
package durability
