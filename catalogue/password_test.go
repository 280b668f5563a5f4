package catalogue

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestHashIsArgon2idPHC(t *testing.T) {
	h := newHasher()
	hash, err := h.hash(context.Background(), "a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if want := "$argon2id$v=19$m=47104,t=1,p=1$"; len(hash) < len(want) || hash[:len(want)] != want {
		t.Fatalf("hash %q is not an argon2id PHC string with the configured cost", hash)
	}
	for _, tt := range []struct {
		password string
		ok       bool
	}{{"a long enough passphrase", true}, {"a long enough passphrasE", false}, {"", false}} {
		if ok, err := h.verify(context.Background(), tt.password, hash); err != nil || ok != tt.ok {
			t.Errorf("verify(%q) = %v, %v", tt.password, ok, err)
		}
	}
}

// TestAtMostTwoHashesAtOnce runs many hashes concurrently and records the
// highest number running at the same time.
func TestAtMostTwoHashesAtOnce(t *testing.T) {
	h := newHasher()
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := h.acquire(context.Background()); err != nil {
				t.Error(err)
				return
			}
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
			running.Add(-1)
			h.release()
		}()
	}
	wg.Wait()
	if p := peak.Load(); p != MaxHashing {
		t.Fatalf("peak concurrent hashes %d, want %d", p, MaxHashing)
	}
	// A request that gives up while waiting does not hash.
	h.slots <- struct{}{}
	h.slots <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := h.hash(ctx, "whatever passphrase"); err == nil {
		t.Fatal("hash ran while both slots were taken")
	}
}

func BenchmarkPasswordHash(b *testing.B) {
	h := newHasher()
	for b.Loop() {
		if _, err := h.hash(context.Background(), "a long enough passphrase"); err != nil {
			b.Fatal(err)
		}
	}
}
