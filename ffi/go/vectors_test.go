package backoff_test

import (
	"bufio"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

// vectorRow is one line of tests/vectors/delays.tsv: a policy and the delays it must give.
type vectorRow struct {
	name, config, form string
	key                uint64
	attempts           []uint64 // "delay" rows only
	want               []time.Duration
}

// vectorPath is $BACKOFF_VECTORS, or the file in the source tree.
func vectorPath() string {
	if path := os.Getenv("BACKOFF_VECTORS"); path != "" {
		return path
	}
	return filepath.Join("..", "..", "tests", "vectors", "delays.tsv")
}

func readVectors(t *testing.T) []vectorRow {
	t.Helper()
	file, err := os.Open(vectorPath())
	if err != nil {
		t.Fatalf("the shared test vectors are required: %v", err)
	}
	defer file.Close()
	var rows []vectorRow
	scanner := bufio.NewScanner(file)
	for line := 1; scanner.Scan(); line++ {
		text := scanner.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 5 {
			t.Fatalf("%s:%d: want 5 tab-separated fields, got %d", vectorPath(), line, len(fields))
		}
		row := vectorRow{name: fields[0], config: fields[1], form: fields[2]}
		if hexBytes, ok := strings.CutPrefix(fields[3], "bytes:"); ok {
			id, err := hex.DecodeString(hexBytes)
			if err != nil {
				t.Fatalf("%s:%d: key: %v", vectorPath(), line, err)
			}
			row.key = backoff.KeyHash(id)
		} else if fields[3] != "-" {
			row.key = mustParseUint(t, fields[3])
		}
		for _, item := range strings.Split(fields[4], ",") {
			if row.form == "delay" {
				attempt, delay, _ := strings.Cut(item, ":")
				row.attempts = append(row.attempts, mustParseUint(t, attempt))
				item = delay
			}
			ns, err := strconv.ParseInt(item, 10, 64)
			if err != nil {
				t.Fatalf("%s:%d: %v", vectorPath(), line, err)
			}
			row.want = append(row.want, time.Duration(ns))
		}
		rows = append(rows, row)
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s holds no vectors", vectorPath())
	}
	return rows
}

func mustParseUint(t *testing.T, text string) uint64 {
	t.Helper()
	value, err := strconv.ParseUint(text, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return value
}

// policyOf builds the row's policy from its "name=value,..." text through the library's text setter.
func policyOf(t *testing.T, config string) *backoff.Policy {
	t.Helper()
	var options []backoff.Option
	for _, pair := range strings.Split(config, ",") {
		name, value, _ := strings.Cut(pair, "=")
		options = append(options, backoff.Set(name, value))
	}
	policy, err := backoff.NewPolicy(options...)
	if err != nil {
		t.Fatalf("config %q: %v", config, err)
	}
	t.Cleanup(policy.Close)
	return policy
}

func TestSharedVectorsGiveBitIdenticalDelays(t *testing.T) {
	for _, row := range readVectors(t) {
		t.Run(row.name, func(t *testing.T) {
			policy := policyOf(t, row.config)
			switch row.form {
			case "delay":
				for i, attempt := range row.attempts {
					if got := policy.Delay(attempt, row.key); got != row.want[i] {
						t.Errorf("Delay(%d, %d) = %d ns, want %d ns", attempt, row.key, got, row.want[i])
					}
				}
			case "next":
				state, err := backoff.NewState(policy)
				if err != nil {
					t.Fatal(err)
				}
				defer state.Close()
				for i, want := range row.want {
					got, err := state.NextAt(0, 0)
					if err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("call %d: NextAt(0, 0) = %d ns, want %d ns", i, got, want)
					}
				}
			default:
				t.Fatalf("unknown form %q", row.form)
			}
		})
	}
}
