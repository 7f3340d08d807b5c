// Cost curves of sony/gobreaker (v2) for bench/scale/run, printed as the C program's rows:
// "measure<TAB>impl<TAB>n<TAB>value". A breaker per key is a map of breakers, as gobreaker's users build it.
//
// Memory is the growth of the live heap (runtime.MemStats.HeapAlloc after a collection) over n live
// objects, in a fresh process per measurement: Go's allocator rounds each object to its size class, as
// malloc does, but the collector's headroom is left out.
package main

import (
	"container/list"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/sony/gobreaker/v2"
)

const impl = "gobreaker (Go)"

var sizes = []int{1000, 100000, 1000000}

func consecutive() gobreaker.Settings { return gobreaker.Settings{Name: "b"} } // trips after > 5 failures in a row

// A rolling window of 60 s in 10 buckets that trips at a 50 % failure ratio over at least 10 calls,
// the shape of libbackoff's ratio rule with its default time window.
func windowed() gobreaker.Settings {
	return gobreaker.Settings{
		Name: "b", Interval: 60 * time.Second, BucketPeriod: 6 * time.Second,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.Requests >= 10 && c.TotalFailures*2 >= c.Requests
		},
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapAlloc
}

func bytesPerObject(kind string, n int) float64 {
	kept := make([]*gobreaker.CircuitBreaker[any], n)
	keyed := make(map[string]*gobreaker.CircuitBreaker[any])
	before := liveHeap()
	for i := 0; i < n; i++ {
		switch kind {
		case "consecutive":
			kept[i] = gobreaker.NewCircuitBreaker[any](consecutive())
		case "windowed":
			kept[i] = gobreaker.NewCircuitBreaker[any](windowed())
		default:
			keyed[fmt.Sprintf("host-%d.example", i)] = gobreaker.NewCircuitBreaker[any](consecutive())
		}
	}
	grown := float64(liveHeap() - before)
	runtime.KeepAlive(kept)
	runtime.KeepAlive(keyed)
	return grown / float64(n)
}

// lruPool is the per-key map a gobreaker user writes: a map under a lock, least recently used evicted.
type lruPool struct {
	mu     sync.Mutex
	max    int
	byKey  map[string]*list.Element
	recent *list.List
}

type entry struct {
	key     string
	breaker *gobreaker.CircuitBreaker[any]
}

func (p *lruPool) get(key string) *gobreaker.CircuitBreaker[any] {
	p.mu.Lock()
	defer p.mu.Unlock()
	if found, ok := p.byKey[key]; ok {
		p.recent.MoveToFront(found)
		return found.Value.(*entry).breaker
	}
	if p.recent.Len() == p.max {
		oldest := p.recent.Back()
		delete(p.byKey, oldest.Value.(*entry).key)
		p.recent.Remove(oldest)
	}
	made := &entry{key, gobreaker.NewCircuitBreaker[any](consecutive())}
	p.byKey[key] = p.recent.PushFront(made)
	return made.breaker
}

func ok() (any, error) { return nil, nil }

// threadCPU is the CPU time of the calling OS thread (RUSAGE_THREAD), so that other processes on a loaded
// machine do not count, as in the C and Python programs.
func threadCPU() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &usage); err != nil {
		panic(err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

func bestNsPerCall(calls int, step func(i int)) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	best := 1e300
	for round := 0; round < 5; round++ {
		start := threadCPU()
		for i := 0; i < calls; i++ {
			step(i)
		}
		if perCall := float64((threadCPU() - start).Nanoseconds()) / float64(calls); perCall < best {
			best = perCall
		}
	}
	return best
}

func row(measure string, n int, value float64) {
	fmt.Printf("%s\t%s\t%d\t%.1f\n", measure, impl, n, value)
}

var memoryMeasures = []struct{ kind, measure string }{
	{"consecutive", "breaker, consecutive rule (B/object)"},
	{"windowed", "breaker, ratio rule, time window (B/object)"},
	{"keyed", "breaker pool (B/key, object included)"},
}

func main() {
	if len(os.Args) == 3 { // a child: one memory measurement
		n, _ := strconv.Atoi(os.Args[2])
		fmt.Printf("%.1f", bytesPerObject(os.Args[1], n))
		return
	}
	for _, m := range memoryMeasures {
		for _, n := range sizes {
			out, err := exec.Command(os.Args[0], m.kind, strconv.Itoa(n)).Output()
			if err != nil {
				panic(err)
			}
			value, _ := strconv.ParseFloat(string(out), 64)
			row(m.measure, n, value)
		}
	}
	for _, n := range sizes {
		pool := &lruPool{max: n, byKey: make(map[string]*list.Element), recent: list.New()}
		for i := 0; i < n; i++ {
			pool.get(fmt.Sprintf("host-%d.example", i))
		}
		row("breaker pool: acquire + record on a hot key (ns)", n, bestNsPerCall(1000000, func(int) {
			pool.get("host-0.example").Execute(ok)
		}))
		next := n
		row("breaker pool: acquire + record on a new key, evicting (ns)", n, bestNsPerCall(200000, func(int) {
			pool.get(fmt.Sprintf("host-%d.example", next)).Execute(ok)
			next++
		}))
	}
	breaker := gobreaker.NewCircuitBreaker[any](consecutive())
	row("breaker, consecutive rule: acquire + record (ns)", 1, bestNsPerCall(1000000, func(int) { breaker.Execute(ok) }))
}
