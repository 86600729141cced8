//go:build !js

package browsertest

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/sync-vs-async/playground/core"
)

func TestZZProfileJump(t *testing.T) {
	if os.Getenv("ZZPROF") == "" {
		t.Skip()
	}
	browser := sharedBrowser(t)
	sc := example(t, "spike-async")
	sc.Nodes[0].Workload.Phases[2].Duration = 80 * core.Second
	p := openFreshPage(t, browser, shareLink(t, sc, 0), recordReadyAt)
	p.waitWASMReady(300e9)
	n := p.state().Steps
	_, err := run(p, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if os.Getenv("ZZNOPROF") != "" {
			return nil
		}
		if _, err := cdp.Call(ctx, tg, profiler.Enable, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 500}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, profiler.Start, cdp.Empty{})
		return err
	}))
	require.NoError(t, err)
	// tracing
	type tev struct {
		Name string         `json:"name"`
		Ph   string         `json:"ph"`
		Dur  float64        `json:"dur"`
		Tdur float64        `json:"tdur"`
		Args map[string]any `json:"args"`
	}
	evch := make(chan tev, 1<<20)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e, err := range chromedp.Events(p.ctx, tracing.DataCollected) {
			if err != nil {
				return
			}
			for _, v := range e.Value {
				var x tev
				if json.Unmarshal(v, &x) == nil {
					evch <- x
				}
			}
		}
	}()
	if os.Getenv("ZZTRACE") != "" {
		_, err = run(p, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{IncludedCategories: []string{"devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "v8"}}})
			return err
		}))
		require.NoError(t, err)
	}
	if skip := os.Getenv("ZZSKIP"); skip != "" {
		_, err := run(p, chromedp.Evaluate[chromedp.Void](`window.__skip = {}; for (const id of ` + strconv.Quote(skip) + `.split(",")) window.__skip[id] = "1";`))
		require.NoError(t, err)
	}
	if css := os.Getenv("ZZCSS"); css != "" {
		_, err := run(p, chromedp.Evaluate[chromedp.Void](`{ const st = document.createElement("style"); st.textContent = ` + strconv.Quote(css) + `; document.head.appendChild(st); void document.body.offsetHeight; }`))
		require.NoError(t, err)
	}
	cpu0, rcpu0 := chromeCPU()
	var total float64
	parts := make([]float64, 4)
	for i := range 100 {
		target := []int{n / 3, 2 * n / 3, 17, n - 57, n / 2}[i%5] + i%50
		res, err := run(p, chromedp.Evaluate[[]float64](splitJS(target), chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		total += res[3]
		for k := range 4 {
			parts[k] += res[k]
		}
	}
	cpu1, rcpu1 := chromeCPU()
	t.Logf("CPU per jump: all chromium %.1f ms, renderers %.1f ms", (cpu1-cpu0)/200, (rcpu1-rcpu0)/100)
	t.Logf("mean %.1f ms; go+parse %.1f, style %.1f, layout %.1f", total/200, parts[0]/200, (parts[1]-parts[0])/200, (parts[2]-parts[1])/100)
	stats, err := run(p, chromedp.Evaluate[string](`["topology","sequence","event-log","stats","narration"].map(id => { const e = document.getElementById(id); return id + " nodes=" + e.querySelectorAll("*").length + " html=" + e.outerHTML.length; }).join("; ") + " total=" + document.querySelectorAll("*").length`))
	require.NoError(t, err)
	t.Log(stats)
	if os.Getenv("ZZALT") != "" {
		// capture two states
		_, err := run(p, chromedp.Evaluate[float64](jumpRenderJS(n/3), chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		_, err = run(p, chromedp.Evaluate[chromedp.Void](`window.__A = {}; for (const id of ["topology","sequence","event-log","stats"]) window.__A[id] = document.getElementById(id).outerHTML; window.__AL = document.getElementById("event-log").innerHTML; window.__SA = document.querySelector("#sequence .rows").innerHTML; window.__TA = document.querySelector("#topology .nodes").innerHTML; window.__TTA = document.querySelector("#topology .transits").innerHTML;`))
		require.NoError(t, err)
		_, err = run(p, chromedp.Evaluate[float64](jumpRenderJS(2*n/3), chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		_, err = run(p, chromedp.Evaluate[chromedp.Void](`window.__B = {}; for (const id of ["topology","sequence","event-log","stats"]) window.__B[id] = document.getElementById(id).outerHTML; window.__BL = document.getElementById("event-log").innerHTML; window.__SB = document.querySelector("#sequence .rows").innerHTML; window.__TB = document.querySelector("#topology .nodes").innerHTML; window.__TTB = document.querySelector("#topology .transits").innerHTML;`))
		require.NoError(t, err)
		for _, c := range []struct{ name, js string }{
			{"seq rows inner", `const el = document.querySelector("#sequence .rows"); el.innerHTML = (i%2 ? window.__SA : window.__SB);`},
			{"seq rows inner no title", `const el = document.querySelector("#sequence .rows"); el.innerHTML = (i%2 ? window.__SA : window.__SB).replace(/<title>[^<]*<\/title>/g, "");`},
			{"seq rows inner no title no bg", `const el = document.querySelector("#sequence .rows"); el.innerHTML = (i%2 ? window.__SA : window.__SB).replace(/<title>[^<]*<\/title>/g, "").replace(/<rect class="row-bg"[^>]*><\/rect>/g, "");`},
			{"seq rows inner no markers", `const el = document.querySelector("#sequence .rows"); el.innerHTML = (i%2 ? window.__SA : window.__SB).replace(/ marker-end="[^"]*"/g, "");`},
			{"topo nodes+transits inner", `const a = document.querySelector("#topology .nodes"); a.innerHTML = (i%2 ? window.__TA : window.__TB); const b = document.querySelector("#topology .transits"); b.innerHTML = (i%2 ? window.__TTA : window.__TTB);`},
			{"seq rows inner no title, no bg (both)", `const el = document.querySelector("#sequence .rows"); el.innerHTML = (i%2 ? window.__SA : window.__SB).replace(/<title>[^<]*<\/title>/g, "").replace(/<rect class="row-bg"[^>]*><\/rect>/g, "");`},
			{"log inner", `const el = document.getElementById("event-log"); el.innerHTML = (i%2 ? window.__AL : window.__BL);`},
			{"log inner, no layout", `const el = document.getElementById("event-log"); el.innerHTML = (i%2 ? window.__AL : window.__BL); return;`},
			{"log inner no pads", `const el = document.getElementById("event-log"); el.innerHTML = (i%2 ? window.__AL : window.__BL).replace(/<svg[^>]*><\/svg>/g, "");`},
			{"topology", `const el = document.getElementById("topology"); el.outerHTML = (i%2 ? window.__A : window.__B)["topology"];`},
			{"sequence", `const el = document.getElementById("sequence"); el.outerHTML = (i%2 ? window.__A : window.__B)["sequence"];`},
			{"stats", `const el = document.getElementById("stats"); el.outerHTML = (i%2 ? window.__A : window.__B)["stats"];`},
		} {
			c0, r0 := chromeCPU()
			_, err := run(p, chromedp.Evaluate[chromedp.Void](`{ const f = (i) => { ` + c.js + ` void document.body.offsetHeight; void document.getElementById("event-log").scrollTop; }; for (let i = 0; i < 200; i++) f(i); }`))
			require.NoError(t, err)
			c1, r1 := chromeCPU()
			t.Logf("alt %s: CPU all %.2f ms, renderer main %.2f ms", c.name, (c1-c0)/200, (r1-r0)/200)
		}
	}
	if os.Getenv("ZZTRACE") != "" {
		_, err = run(p, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, tracing.End, cdp.Empty{})
			return err
		}))
		require.NoError(t, err)
		dur := map[string]float64{}
		tdur := map[string]float64{}
		cnt := map[string]int{}
	loop:
		for {
			select {
			case x := <-evch:
				if x.Ph == "X" {
					dur[x.Name] += x.Dur / 1000
					tdur[x.Name] += x.Tdur / 1000
					cnt[x.Name]++
				}
			case <-time.After(3 * time.Second):
				break loop
			}
		}
		type kv struct {
			k string
			v float64
		}
		var l []kv
		for k, v := range tdur {
			l = append(l, kv{k, v})
		}
		sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
		for _, e := range l[:min(30, len(l))] {
			t.Logf("trace %-40s n=%5d wall %8.1f ms/jump  cpu %8.2f ms/jump", e.k, cnt[e.k], dur[e.k]/200, e.v/100)
		}
	}
	res, err := run(p, chromedp.Evaluate[chromedp.Void](`0`))
	_ = res
	var prof *profiler.Profile
	_, err = run(p, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		r, err := cdp.Call(ctx, tg, profiler.Stop, cdp.Empty{})
		prof = r.Profile
		return err
	}))
	require.NoError(t, err)
	self := map[string]int64{}
	byID := map[int64]*profiler.ProfileNode{}
	for _, nd := range prof.Nodes {
		byID[nd.ID] = nd
	}
	// inclusive: walk parents
	parent := map[int64]int64{}
	for _, nd := range prof.Nodes {
		for _, c := range nd.Children {
			parent[c] = nd.ID
		}
	}
	incl := map[string]int64{}
	for i, s := range prof.Samples {
		dt := prof.TimeDeltas[i]
		nd := byID[s]
		self[nd.CallFrame.FunctionName] += dt
		seen := map[string]bool{}
		for id := s; ; {
			name := byID[id].CallFrame.FunctionName
			if !seen[name] {
				incl[name] += dt
				seen[name] = true
			}
			pid, ok := parent[id]
			if !ok {
				break
			}
			id = pid
		}
	}
	dump := func(m map[string]int64, label string) {
		type kv struct {
			k string
			v int64
		}
		var l []kv
		for k, v := range m {
			l = append(l, kv{k, v})
		}
		sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v })
		for _, e := range l[:min(110, len(l))] {
			t.Logf("%s %8.1f ms  %s", label, float64(e.v)/1000, e.k)
		}
	}
	dump(self, "self")
	dump(incl, "incl")
}

func splitJS(target int) string {
	return `(async () => {
  const want = "` + strconv.Itoa(target) + `";
  const t0 = performance.now();
  const scrubber = document.getElementById("scrubber");
  scrubber.value = want; scrubber.dispatchEvent(new Event("input", {bubbles: true}));
  const t1 = performance.now();
  if (document.body.dataset.step !== want) throw new Error("not sync");
  void getComputedStyle(document.getElementById("sequence")).color;
  const t2 = performance.now();
  void document.body.offsetHeight;
  const t3 = performance.now();
  return [t1-t0, t2-t0, t3-t0, t3-t0];
})()`
}

// chromeCPU sums utime+stime (ms) of every chromium process, and of its renderers.
func chromeCPU() (all, renderers float64) {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		cmd, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		if err != nil || !strings.Contains(string(cmd), "chromium") {
			continue
		}
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		ms := (ut + st) * 10 // USER_HZ 100
		all += ms
		if strings.Contains(string(cmd), "--type=renderer") {
			// the main thread only: its task has the process's id
			ts, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(pid) + "/stat")
			if err == nil {
				g := strings.Fields(string(ts[strings.LastIndexByte(string(ts), ')')+2:]))
				u, _ := strconv.ParseFloat(g[11], 64)
				s, _ := strconv.ParseFloat(g[12], 64)
				renderers += (u + s) * 10
			}
		}
	}
	return all, renderers
}
