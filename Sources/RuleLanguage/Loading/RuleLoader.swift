/// YAML → `RuleFileAST`: composes the document (limits enforced while streaming),
/// then reads the rule format strictly: unknown and duplicate keys, wrong kinds and
/// missing keys are collected as diagnostics, never thrown.
struct RuleLoader {
    static let topKeys = ["vigie", "bundle", "description", "timezone", "vehicles", "zones", "schedules", "allow", "notify_to", "rules"]
    static let ruleKeys = ["id", "description", "when", "for", "during", "then", "cooldown", "repeat",
                           "max_per_day", "mode", "enabled", "allow"]
    static let zoneKeys = ["center", "radius"]
    static let scheduleKeys = ["days", "from", "to"]

    var ctx: LoadContext

    init(source: SourceText) { ctx = LoadContext(source: source) }

    /// Loads a file; the AST is nil when the file could not be read as YAML at all.
    static func load(_ file: SourceFile) -> (ast: RuleFileAST?, source: SourceText, diagnostics: [Diagnostic]) {
        let source = SourceText(path: file.path, text: file.text)
        var composer = YAMLComposer(text: file.text, source: source)
        let root = composer.compose()
        guard composer.diagnostics.isEmpty else { return (nil, source, composer.diagnostics) }
        var loader = RuleLoader(source: source)
        let ast = loader.readFile(root)
        return (ast, source, loader.ctx.diagnostics)
    }

    mutating func readFile(_ root: YAMLNode?) -> RuleFileAST {
        let whole = ctx.source.range(0, ctx.source.scalars.count)
        guard let root, case .mapping = root.kind else {
            let at = root.map { ctx.range($0) } ?? SourceRange(file: whole.file, start: whole.start, end: whole.start)
            ctx.report("wrong-type", "a rule file is a mapping with `vigie`, `bundle` and `rules` keys", at: at)
            return RuleFileAST(range: at)
        }
        let m = ctx.keyed(root, allowed: Self.topKeys, context: "the file")
        var ast = RuleFileAST(range: ctx.range(root))
        ctx.requireKeys(m, ["vigie", "bundle", "rules"], context: "a rule file",
                        at: ctx.source.range(root.start, root.start))
        ast.version = ctx.scalar(m["vigie"], key: "vigie")
        ast.bundle = ctx.text(m["bundle"], key: "bundle")
        ast.description = ctx.text(m["description"], key: "description")
        ast.timezone = ctx.text(m["timezone"], key: "timezone")
        ast.vehicles = readVehicles(m["vehicles"])
        ast.zones = readNamedMappings(m["zones"], key: "zones").compactMap { readZone($0.0, $0.1) }
        ast.schedules = readNamedMappings(m["schedules"], key: "schedules").compactMap { readSchedule($0.0, $0.1) }
        ast.allow = (ctx.items(m["allow"], key: "allow") ?? []).compactMap { ctx.text($0, key: "allow") }
        if m["notify_to"] != nil {
            ast.notifyTo = (ctx.items(m["notify_to"], key: "notify_to") ?? []).compactMap { ctx.text($0, key: "notify_to") }
        }
        if let items = ctx.items(m["rules"], key: "rules") {
            if items.isEmpty {
                // A bundle without rules deploys nothing: almost always a mistake.
                ctx.report("no-rules", "`rules` is empty: a bundle needs at least one rule",
                           at: ctx.range(m["rules"]!),
                           notes: ["to turn a rule off, keep it and set `enabled: false`"])
            } else if items.count > RuleLimits.maxRulesPerFile {
                ctx.report("too-many-rules", "\(items.count) rules in one file; the limit is \(RuleLimits.maxRulesPerFile)",
                           at: m.keys["rules"]?.range ?? ctx.range(m["rules"]!))
            } else {
                ast.rules = items.compactMap { readRule($0) }
            }
        }
        return ast
    }

    mutating func readVehicles(_ node: YAMLNode?) -> VehiclesDecl? {
        guard let node else { return nil }
        if let s = node.scalar {
            if s == "all" { return .all(ctx.range(node)) }
            ctx.report("bad-value", "`vehicles` is `all` or a list of `{vin: …}` / `{tag: …}` selectors", at: ctx.range(node))
            return nil
        }
        guard let items = ctx.items(node, key: "vehicles") else { return nil }
        var out: [Located<VehicleSelector>] = []
        for item in items {
            guard case .mapping = item.kind else { ctx.wrongType(item, expected: "a `{vin: …}` or `{tag: …}` mapping", for: "vehicles"); continue }
            let m = ctx.keyed(item, allowed: ["vin", "tag"], context: "a vehicle selector")
            if m.values.count != 1 {
                ctx.report("bad-value", "a vehicle selector has exactly one of `vin` or `tag`", at: ctx.range(item))
                continue
            }
            if let v = ctx.text(m["vin"], key: "vin") { out.append(Located(value: .vin(v.value), range: ctx.range(item))) }
            if let t = ctx.text(m["tag"], key: "tag") { out.append(Located(value: .tag(t.value), range: ctx.range(item))) }
        }
        return .selectors(out)
    }

    /// `name: {…}` entries of `zones` / `schedules`.
    mutating func readNamedMappings(_ node: YAMLNode?, key: String) -> [(Located<String>, YAMLNode)] {
        guard let node else { return [] }
        guard case .mapping(let pairs) = node.kind else {
            ctx.wrongType(node, expected: "a mapping of names to definitions", for: key)
            return []
        }
        var seen: [String: SourceRange] = [:]
        var out: [(Located<String>, YAMLNode)] = []
        for (k, v) in pairs {
            guard let name = k.scalar, k.tag == nil else {
                ctx.report("unsupported-yaml", "keys must be plain text; this key is \(k.kindName)", at: ctx.range(k))
                continue
            }
            if let first = seen[name] {
                ctx.report("duplicate-key", "duplicate key `\(name)` in `\(key)`", at: ctx.range(k),
                           notes: ["first given at line \(first.start.line), column \(first.start.column)"])
                continue
            }
            seen[name] = ctx.range(k)
            if name.hasPrefix("x-") { continue }
            out.append((Located(value: name, range: ctx.range(k)), v))
        }
        return out
    }

    mutating func readZone(_ name: Located<String>, _ node: YAMLNode) -> ZoneDecl? {
        guard case .mapping = node.kind else {
            ctx.wrongType(node, expected: "a `{center: {lat, lon}, radius}` mapping", for: "zones.\(name.value)")
            return nil
        }
        let m = ctx.keyed(node, allowed: Self.zoneKeys, context: "zone `\(name.value)`")
        ctx.requireKeys(m, Self.zoneKeys, context: "zone `\(name.value)`")
        var zone = ZoneDecl(name: name, range: ctx.range(node))
        zone.radius = ctx.scalar(m["radius"], key: "radius")
        if let center = m["center"] {
            if case .mapping = center.kind {
                let c = ctx.keyed(center, allowed: ["lat", "lon"], context: "a zone centre")
                ctx.requireKeys(c, ["lat", "lon"], context: "a zone centre")
                zone.latitude = ctx.scalar(c["lat"], key: "lat")
                zone.longitude = ctx.scalar(c["lon"], key: "lon")
            } else {
                ctx.wrongType(center, expected: "a `{lat, lon}` mapping", for: "center")
            }
        }
        return zone
    }

    mutating func readSchedule(_ name: Located<String>, _ node: YAMLNode) -> ScheduleDecl? {
        guard case .mapping = node.kind else {
            ctx.wrongType(node, expected: "a `{days, from, to}` mapping", for: "schedules.\(name.value)")
            return nil
        }
        let m = ctx.keyed(node, allowed: Self.scheduleKeys, context: "schedule `\(name.value)`")
        ctx.requireKeys(m, ["from", "to"], context: "schedule `\(name.value)`")
        var s = ScheduleDecl(name: name, range: ctx.range(node))
        if let days = m["days"] {
            if days.scalar != nil {
                s.days = ctx.text(days, key: "days").map { [$0] }
            } else {
                s.days = ctx.items(days, key: "days")?.compactMap { ctx.text($0, key: "days") }
            }
        }
        s.from = ctx.scalar(m["from"], key: "from")
        s.to = ctx.scalar(m["to"], key: "to")
        return s
    }
}
