import Mustache

/// The console's pages as mustache templates (Swift literals: nothing to copy at install).
/// `{{x}}` is HTML-escaped; `{{{content}}}` is only ever a page rendered by these templates.
enum ConsoleTemplates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in all { try library.register(text, named: name) }
        return library
    }

    static let all: [String: String] = [
        "layout": layout, "login": login, "overview": overview, "vehicles": vehicles, "vehicle": vehicle,
        "rules": rules, "trace": trace, "holds": holds, "confirm": confirm, "message": message, "pager": pager,
        "decisions": decisions, "rulerows": rulerows, "sendconfirm": sendconfirm, "deployments": deployments, "monitors": monitors,
    ]

    static let layout = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>{{title}} · Vigie console</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <link rel="stylesheet" href="/console/static/console.css">
    <script src="/console/static/console.js" defer></script></head>
    <body data-page="{{page}}" data-vin="{{vin}}">
    <header><a class="brand" href="/console">Vigie</a>
    {{#nav}}<nav><a href="/console">Overview</a><a href="/console/vehicles">Vehicles</a><a href="/console/rules">Rules × vehicles</a><a href="/console/holds">Commands &amp; holds</a><a href="/console/deployments">Deployments</a></nav>
    <span id="stream-state" class="stream">live: connecting</span>
    <form method="post" action="/console/logout" class="logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Log out</button></form>{{/nav}}
    </header>
    <main><h1>{{title}}</h1><div id="live">{{{content}}}</div></main>
    </body></html>
    """

    static let login = """
    {{#error}}<p class="error">{{error}}</p>{{/error}}
    <form method="post" action="/console/login" class="login">
    <label for="token">Admin token (<code>admin.token</code>)</label>
    <input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
    <button type="submit">Log in</button></form>
    """

    static let message = """
    <p class="{{kind}}">{{text}}</p>{{#detail}}<pre class="diagnostics">{{detail}}</pre>{{/detail}}{{#back}}<p><a href="{{back}}">Back</a></p>{{/back}}
    """

    static let pager = """
    <p class="pager">{{#prev}}<a href="{{prev}}" rel="prev">← previous</a>{{/prev}} page {{page}} of {{pages}} ({{total}} {{noun}}) {{#next}}<a href="{{next}}" rel="next">next →</a>{{/next}}</p>
    """

    static let decisions = """
    <table><thead><tr><th>At</th><th>Vehicle</th><th>Rule</th><th>Decision</th><th>Reason</th><th></th></tr></thead><tbody>
    {{#decisions}}<tr><td>{{at}}</td><td><a href="/console/vehicles/{{vin}}">{{vin}}</a></td><td>{{bundle}}/{{rule}}</td>
    <td><span class="tag {{event}}">{{event}}</span></td><td>{{reason}}</td><td><a href="/console/decisions/{{id}}">trace</a></td></tr>{{/decisions}}
    {{^decisions}}<tr><td colspan="6" class="none">No decision yet.</td></tr>{{/decisions}}
    </tbody></table>
    """

    static let overview = """
    <section class="cards">
    <div class="card"><h2>Intake</h2><p class="figure" data-live="intakeRate">{{intakeRate}}</p><p>notifications/s (last minute); {{unprocessed}} waiting for the engine</p></div>
    <div class="card"><h2>Decisions (last hour)</h2><p class="figure" data-live="fired">{{fired}}</p><p>fired, {{suppressed}} suppressed</p></div>
    <div class="card"><h2>Commands</h2><p class="figure" data-live="inFlight">{{inFlight}}</p><p>in flight, {{queued}} queued</p></div>
    <div class="card"><h2>Holds</h2><p class="figure">{{holdCount}}</p><p>pauses and loop stops in force</p></div>
    <div class="card"><h2>Session &amp; API</h2><p class="figure {{readyClass}}">{{readyText}}</p><p>{{readyReason}}</p></div>
    <div class="card"><h2>Vehicles</h2><p class="figure">{{vehicles}}</p><p>with engine state</p></div>
    </section>
    <h2>Alerts</h2>
    <ul class="alerts">{{#alerts}}<li class="alert">{{.}}</li>{{/alerts}}{{^alerts}}<li class="ok">None.</li>{{/alerts}}</ul>
    <h2>Holds in force</h2>
    <ul>{{#holds}}<li>{{kind}} on {{scope}} since {{createdAt}}{{#reason}} — {{reason}}{{/reason}}</li>{{/holds}}{{^holds}}<li class="none">None.</li>{{/holds}}</ul>
    <h2>Latest decisions</h2>
    {{> decisions}}
    """

    static let vehicles = """
    <form method="get" action="/console/vehicles" class="filters"><label>VIN <input name="vin" value="{{filterVin}}"></label><button type="submit">Filter</button></form>
    {{#pager}}{{> pager}}{{/pager}}
    <table><thead><tr><th>Vehicle</th><th>Last values (age)</th><th>Rules not armed</th><th>State saved</th></tr></thead><tbody>
    {{#vehicles}}<tr><td><a href="/console/vehicles/{{vin}}">{{vin}}</a></td>
    <td class="values">{{#fields}}<span class="value"><b>{{field}}</b> {{value}} <i>{{age}}</i></span> {{/fields}}</td>
    <td>{{busy}}</td><td>{{updated}}</td></tr>{{/vehicles}}
    {{^vehicles}}<tr><td colspan="4" class="none">No vehicle has engine state yet.</td></tr>{{/vehicles}}
    </tbody></table>
    """

    static let vehicle = """
    <p>{{#tags}}<span class="tag">{{.}}</span> {{/tags}} State saved {{updated}}. <a href="/console/rules?vin={{vin}}">This vehicle in rules × vehicles</a></p>
    <h2>Last values</h2>
    <table class="fields"><thead><tr><th>Field</th><th>Value</th><th>Measured</th><th>Age</th></tr></thead><tbody>
    {{#fields}}<tr><td>{{field}}</td><td class="v">{{value}}</td><td>{{at}}</td><td>{{age}}</td></tr>{{/fields}}
    {{^fields}}<tr><td colspan="4" class="none">No value received yet.</td></tr>{{/fields}}
    </tbody></table>
    <h2>Deployed monitors</h2>
    {{> monitors}}
    <h2>Send a command</h2>
    <form method="post" action="/console/vehicles/{{vin}}/send/confirm" class="filters send"><input type="hidden" name="csrf" value="{{csrf}}">
    <label>Action <input name="action" id="send-action" placeholder="charge: start" required></label><button type="submit" id="send">Send…</button></form>
    <p class="note">Any remote action of the rule language, as in a rule's <code>then:</code> — <code>charge: start</code>, <code>charge: {at: "23:30"}</code>, <code>precondition: start</code>, <code>doors: lock</code>, <code>horn: on</code>, <code>lights: on</code>, <code>wake_up: true</code>, <code>navigate: {to: {lat: 48.86, lon: 2.33}}</code>. It goes through the same outbox, pauses and budgets as a rule's command, after a confirmation.</p>
    <h2>Rules</h2>
    {{> rulerows}}
    <h2>Latest decisions</h2>
    {{> decisions}}
    """

    static let rules = """
    <form method="get" action="/console/rules" class="filters">
    <label>Bundle <input name="bundle" value="{{filterBundle}}"></label>
    <label>Rule <input name="rule" value="{{filterRule}}"></label>
    <label>VIN <input name="vin" value="{{filterVin}}"></label><button type="submit">Filter</button></form>
    {{#pager}}{{> pager}}{{/pager}}
    {{> rulerows}}
    """

    static let rulerows = """
    <table class="rules"><thead><tr><th>Vehicle</th><th>Rule</th><th>State</th><th>Pending since</th><th>Fires at</th><th>Next repeat</th><th>Last fired</th><th>Last suppressed</th><th>Held</th></tr></thead><tbody>
    {{#rows}}<tr><td><a href="/console/vehicles/{{vin}}">{{vin}}</a></td><td>{{bundle}}/{{rule}}</td><td><span class="tag {{phase}}">{{phase}}</span></td>
    <td>{{pendingSince}}</td><td>{{firesAt}}</td><td>{{nextRepeat}}</td>
    <td>{{#lastFired}}<a href="/console/decisions/{{id}}">{{at}}</a>{{/lastFired}}</td>
    <td>{{#lastSuppressed}}<a href="/console/decisions/{{id}}">{{at}}</a> {{reason}}{{/lastSuppressed}}</td>
    <td>{{held}}</td></tr>{{/rows}}
    {{^rows}}<tr><td colspan="9" class="none">No rule matches.</td></tr>{{/rows}}
    </tbody></table>
    """

    static let trace = """
    <dl class="facts"><dt>Decision</dt><dd><span class="tag {{event}}">{{event}}</span>{{#reason}} — {{reason}}{{/reason}}</dd>
    <dt>Rule</dt><dd>{{bundle}}/{{rule}}</dd><dt>Vehicle</dt><dd><a href="/console/vehicles/{{vin}}">{{vin}}</a></dd><dt>At</dt><dd>{{at}}</dd>{{#manual}}<dt>Asked by</dt><dd>{{requestedBy}} via {{via}}: <code>{{action}}</code></dd>{{/manual}}</dl>
    <h2>Cause</h2>
    {{#cause}}<p>Notification #{{id}} ({{type}}), measured {{eventDate}}, received {{receivedAt}}.</p><pre>{{body}}</pre>{{/cause}}
    {{^cause}}<p>A timer or a sweep of the engine (no notification was being processed).</p>{{/cause}}
    <h2>Why: the condition at the decision</h2>
    {{#explain}}{{#manual}}<p class="none">A manual command: no rule was evaluated.</p>{{/manual}}
    {{#evaluation}}<p>Evaluated {{at}} ({{cause}}, was {{phase}}): <span class="tag {{truth}}">{{truth}}</span></p>
    <table class="explain"><thead><tr><th>Sub-condition [values read]</th><th>Truth</th></tr></thead><tbody>
    {{#lines}}<tr><td class="cond d{{depth}}">{{text}}</td><td><span class="tag {{truth}}">{{truth}}</span></td></tr>{{/lines}}
    </tbody></table>{{/evaluation}}
    {{#never}}<p class="none">The rule was never evaluated for this vehicle at or before this instant.</p>{{/never}}
    {{#error}}<p class="error">The evaluation could not be rebuilt: {{error}}</p>{{/error}}
    {{#replay}}<p class="note">Rebuilt as <code>vigie explain</code> does: {{replay}}.</p>{{/replay}}
    {{^manual}}<p class="note">The same from a shell: <code>{{command}}</code></p>{{/manual}}{{/explain}}
    <h2>Actions</h2>
    <pre>{{renderedActions}}</pre>
    {{#actions}}<section class="action"><h3>#{{position}} {{kind}} — <span class="tag {{status}}">{{status}}</span></h3>
    <p>{{#remoteActionId}}Remote action {{remoteActionId}}. {{/remoteActionId}}Created {{createdAt}}{{#sentAt}}, sent {{sentAt}}{{/sentAt}}{{#doneAt}}, done {{doneAt}}{{/doneAt}}.{{#failureCause}} Failure cause: <b>{{failureCause}}</b>.{{/failureCause}}</p>
    <pre>{{payload}}</pre>
    <table><thead><tr><th>Attempt</th><th>Started</th><th>Finished</th><th>HTTP</th><th>Outcome</th><th>Detail</th></tr></thead><tbody>
    {{#attempts}}<tr><td>{{attempt}}</td><td>{{startedAt}}</td><td>{{finishedAt}}</td><td>{{httpStatus}}</td><td>{{outcome}}</td><td>{{failureCause}} {{detail}}</td></tr>{{/attempts}}
    {{^attempts}}<tr><td colspan="6" class="none">Not attempted.</td></tr>{{/attempts}}</tbody></table>
    {{#hasEvents}}<h4>Progress notifications</h4><ul>{{#events}}<li>{{receivedAt}}: {{type}} {{status}}{{#failureCause}} ({{failureCause}}){{/failureCause}}</li>{{/events}}</ul>{{/hasEvents}}
    </section>{{/actions}}
    {{^actions}}<p class="none">This decision has no action (suppressed decisions never do).</p>{{/actions}}
    """

    static let holds = """
    <h2>Holds in force</h2>
    <table><thead><tr><th>Kind</th><th>Scope</th><th>Since</th><th>Reason</th><th></th></tr></thead><tbody>
    {{#holds}}<tr><td>{{kind}}</td><td>{{scope}}</td><td>{{createdAt}}</td><td>{{reason}}</td>
    <td>{{#resumable}}<form method="post" action="/console/holds/confirm"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="action" value="resume">
    {{#vin}}<input type="hidden" name="vin" value="{{vin}}">{{/vin}}{{#bundle}}<input type="hidden" name="bundle" value="{{bundle}}">{{/bundle}}{{#rule}}<input type="hidden" name="rule" value="{{rule}}">{{/rule}}
    <button type="submit" class="resume">Resume…</button></form>{{/resumable}}</td></tr>{{/holds}}
    {{^holds}}<tr><td colspan="5" class="none">Nothing is held.</td></tr>{{/holds}}</tbody></table>
    <h2>Pause</h2>
    <form method="post" action="/console/holds/confirm" class="filters pause"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="action" value="pause">
    <label>VIN <input name="vin"></label><label>Bundle <input name="bundle"></label><label>Rule <input name="rule" placeholder="needs its bundle"></label>
    <label>Reason <input name="reason"></label><button type="submit">Pause…</button></form>
    <p class="note">Empty fields mean every value: with all empty, every command of every vehicle is held.</p>
    <h2>Commands not finished</h2>
    <table><thead><tr><th>Created</th><th>Vehicle</th><th>Status</th><th>Attempts</th><th>Command</th><th></th></tr></thead><tbody>
    {{#commands}}<tr><td>{{createdAt}}</td><td><a href="/console/vehicles/{{vin}}">{{vin}}</a></td><td>{{status}}</td><td>{{attempts}}</td><td class="v">{{payload}}</td><td><a href="/console/decisions/{{firingId}}">trace</a></td></tr>{{/commands}}
    {{^commands}}<tr><td colspan="6" class="none">None.</td></tr>{{/commands}}</tbody></table>
    """

    static let sendconfirm = """
    <p class="confirm">Send <code>{{action}}</code> to {{vin}}? The serve sends it like a rule's command — pauses and budgets apply — and logs it as manual, asked by {{who}}.</p>
    <pre>{{body}}</pre>
    <form method="post" action="/console/vehicles/{{vin}}/send"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="action" value="{{action}}">
    {{#unlock}}<p class="alert"><label><input type="checkbox" name="allow_unlock" value="yes" id="allow-unlock"> {{unlockLabel}}</label></p>{{/unlock}}
    <button type="submit" class="send" id="confirm">Yes, send</button> <a href="/console/vehicles/{{vin}}">Cancel</a></form>
    """

    static let deployments = """
    <p>{{count}} monitors deployed on {{vehicles}} vehicles; latest deployed {{latest}}. Recorded by <code>vigie apply</code>; <code>vigie plan</code> compares with the API.</p>
    <form method="get" action="/console/deployments" class="filters"><label>VIN <input name="vin" value="{{filterVin}}"></label><button type="submit">Filter</button></form>
    {{#pager}}{{> pager}}{{/pager}}
    {{> monitors}}
    """

    static let monitors = """
    <table class="monitors"><thead><tr><th>Vehicle</th><th>Monitor</th><th>Label</th><th>Rules served</th><th>Deployed</th></tr></thead><tbody>
    {{#monitors}}<tr><td>{{#vin}}<a href="/console/vehicles/{{vin}}">{{vin}}</a>{{/vin}}{{#fleet}}fleet {{fleet}}{{/fleet}}</td><td class="v">{{monitorId}}</td><td class="v">{{label}}</td>
    <td>{{#rules}}{{#link}}<a href="{{link}}">{{key}}</a>{{/link}}{{^link}}{{key}}{{/link}} {{/rules}}</td><td>{{deployedAt}}</td></tr>{{/monitors}}
    {{^monitors}}<tr><td colspan="5" class="none">No deployment recorded: run <code>vigie apply</code>.</td></tr>{{/monitors}}
    </tbody></table>
    """

    static let confirm = """
    <p class="confirm">{{question}}</p>
    <form method="post" action="/console/holds/{{action}}"><input type="hidden" name="csrf" value="{{csrf}}">
    {{#vin}}<input type="hidden" name="vin" value="{{vin}}">{{/vin}}{{#bundle}}<input type="hidden" name="bundle" value="{{bundle}}">{{/bundle}}{{#rule}}<input type="hidden" name="rule" value="{{rule}}">{{/rule}}{{#reason}}<input type="hidden" name="reason" value="{{reason}}">{{/reason}}
    <button type="submit" class="{{action}}" id="confirm">Yes, {{action}}</button> <a href="/console/holds">Cancel</a></form>
    """
}
