/// The console's style sheet and script, served from `/console/static/` (no inline
/// script: the Content-Security-Policy allows only these files).
enum ConsoleAssets {
    static let css = """
    :root { --fg: #1d2733; --muted: #5b6b7c; --line: #d8dee6; --bg: #f6f8fa; --accent: #0b5fff; --good: #137333; --bad: #b3261e; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
    header { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.2rem; background: #14213d; color: #fff; }
    header a { color: #dfe7f5; text-decoration: none; margin-right: 1rem; }
    header a:hover { color: #fff; text-decoration: underline; }
    .brand { font-weight: 700; font-size: 1.1rem; color: #fff; }
    .stream { margin-left: auto; font-size: .85rem; color: #9fb3d1; }
    .logout button { background: transparent; color: #dfe7f5; border: 1px solid #51627f; border-radius: 4px; padding: .2rem .6rem; cursor: pointer; }
    main { padding: 1rem 1.2rem 3rem; max-width: 1400px; }
    h1 { font-size: 1.4rem; margin: .2rem 0 1rem; } h2 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
    table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
    th, td { text-align: left; padding: .35rem .55rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { background: #eef2f6; font-weight: 600; font-size: .85rem; color: var(--muted); }
    td.v, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .82rem; }
    pre { background: #fff; border: 1px solid var(--line); padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: .8rem; }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; }
    .card h2 { margin: 0; font-size: .85rem; color: var(--muted); font-weight: 600; }
    .card p { margin: .2rem 0; color: var(--muted); }
    .figure { font-size: 1.8rem; font-weight: 700; color: var(--fg) !important; }
    .good { color: var(--good) !important; } .bad { color: var(--bad) !important; }
    .tag { display: inline-block; padding: 0 .45rem; border-radius: 9px; background: #e7ecf3; font-size: .8rem; }
    .tag.fired, .tag.Done, .tag.done, .tag.succeeded, .tag.notified { background: #dcf3e3; color: var(--good); }
    .tag.suppressed, .tag.Failed, .tag.failed, .tag.timedOut { background: #fde7e5; color: var(--bad); }
    .tag.pending { background: #fff2cc; } .tag.latched { background: #e3e8ff; }
    .tag.true { background: #dcf3e3; color: var(--good); } .tag.false { background: #fde7e5; color: var(--bad); }
    .tag.unknown { background: #fff2cc; }
    td.cond { font-family: ui-monospace, monospace; } td.d1 { padding-left: 1.5rem; } td.d2 { padding-left: 3rem; }
    td.d3 { padding-left: 4.5rem; } td.d4 { padding-left: 6rem; } td.d5 { padding-left: 7.5rem; }
    td.d6 { padding-left: 9rem; } td.d7 { padding-left: 10.5rem; } td.d8 { padding-left: 12rem; }
    .values .value { display: inline-block; margin: 0 .6rem .1rem 0; } .values i { color: var(--muted); font-style: normal; font-size: .8rem; }
    .filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin-bottom: .8rem; }
    .filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
    input { padding: .3rem .4rem; border: 1px solid var(--line); border-radius: 4px; font: inherit; }
    button { padding: .35rem .8rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
    button.pause { background: var(--bad); border-color: var(--bad); } button.resume { background: var(--good); border-color: var(--good); }
    .login { display: flex; flex-direction: column; gap: .5rem; max-width: 320px; }
    .error { color: var(--bad); font-weight: 600; } .done { color: var(--good); font-weight: 600; }
    .confirm { font-size: 1.05rem; font-weight: 600; }
    .none, .note { color: var(--muted); } .alerts .alert { color: var(--bad); } .alerts .ok { color: var(--good); }
    .pager a { margin: 0 .5rem; }
    .facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } .facts dt { color: var(--muted); }
    .action { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .3rem .9rem .8rem; margin-bottom: .8rem; }
    #live.flash { animation: flash 1s ease-out; } @keyframes flash { from { background: #fff7d6; } to { background: transparent; } }
    """

    static let js = """
    // Vigie console: live updates over Server-Sent Events (no framework, no inline script).
    (function () {
      "use strict";
      var body = document.body;
      var state = document.getElementById("stream-state");
      if (!state || !window.EventSource) { return; }
      var page = body.getAttribute("data-page");
      var vin = body.getAttribute("data-vin");
      var refreshing = false;
      function refresh() {
        if (refreshing) { return; }
        refreshing = true;
        fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            refreshing = false;
            if (!html) { return; }
            var doc = new DOMParser().parseFromString(html, "text/html");
            var fresh = doc.getElementById("live"), live = document.getElementById("live");
            if (fresh && live) {
              live.innerHTML = fresh.innerHTML;
              live.classList.remove("flash"); void live.offsetWidth; live.classList.add("flash");
              body.setAttribute("data-refreshed", String(Date.now()));
            }
          })
          .catch(function () { refreshing = false; });
      }
      var source = new EventSource("/console/events");
      source.onopen = function () { state.textContent = "live"; };
      source.onerror = function () { state.textContent = "live: reconnecting"; };
      source.addEventListener("tick", function (event) {
        var data = JSON.parse(event.data);
        document.querySelectorAll("[data-live]").forEach(function (el) {
          var key = el.getAttribute("data-live");
          if (data[key] !== undefined) { el.textContent = String(data[key]); }
        });
        var changed = data.changed || [];
        if (changed.length === 0) { return; }
        if ((vin && changed.indexOf(vin) >= 0) || page === "overview" || page === "vehicles" || page === "rules") { refresh(); }
      });
    })();
    """
}
