import StellantisModels
import VehicleData

/// Packs one target's rules and turns the packed formulas into `MonitorParameter` bodies:
/// trigger names, `boolExp`, `refreshEvent`, `extendedEventParam`, label with hash.
enum MonitorAssembler {
    static func assemble(_ rules: [CompiledRule], for target: CompileTarget, options: CompileOptions) -> VehicleCompilation {
        let (packed, placed) = MonitorPacker.pack(rules)
        var monitors: [CompiledMonitor] = []
        for p in packed {
            let members = p.members.map { rules[$0] }
            let body = monitorBody(p.formula, members: members, placements: p.members.map { placed[$0] },
                                   options: options)
            monitors.append(CompiledMonitor(vin: target.vin, fleet: target.fleet, rules: members.map(\.key), monitor: body))
        }
        let placements = rules.enumerated().map { i, r -> RulePlacement in
            let p = placed[i]
            let remotes = r.rule.actions.filter { if case .remote = $0 { return true } else { return false } }.count
            return RulePlacement(bundle: r.bundle, rule: r.rule.id, runs: p.runs,
                                 reason: ([p.base].compactMap { $0 } + p.reasons.uniqued()).nilIfEmpty?.joined(separator: "; "),
                                 notes: p.reasons.uniqued(),
                                 pollEvery: p.pollEvery,
                                 localChecks: p.localChecks, monitorIndex: p.monitor,
                                 remoteActions: remotes, maxPerDay: r.rule.maxPerDay)
        }
        return VehicleCompilation(vin: target.vin, fleet: target.fleet, monitors: monitors, placements: placements)
    }

    static func monitorBody(_ formula: TriggerFormula, members: [CompiledRule], placements: [MonitorPacker.Placement],
                            options: CompileOptions) -> MonitorParameter {
        var names: [TriggerContent: String] = [:]
        var counters: [String: Int] = [:]
        var triggers: [MonitorTrigger] = []
        for atom in formula.atoms {
            let prefix = atom.namePrefix
            counters[prefix, default: 0] += 1
            let name = prefix + String(counters[prefix]!)
            names[atom] = name
            triggers.append(atom.trigger(named: name))
        }
        let refresh = zip(members, placements).compactMap { r, p in r.refreshEvent(exact: p.runs == .server) }.min()
        var subscribe: SubscribeParam? = refresh.map { SubscribeParam(refreshEvent: $0) }
        if options.api == .b2b {
            subscribe = subscribe ?? SubscribeParam()
            subscribe!.callback = MonitorCallback(webhook: MonitorWebhook(
                target: options.callbackURL, name: "vigie",
                attributes: [MonitorAttribute(type: "Header", key: "X-Vigie-Vin", value: "$vin")]))
        }
        let carried = carriedFields(triggers)
        let needsStatus = members.contains { r in
            r.usesPosition || !r.fieldsRead.isSubset(of: carried) || r.kind == .onChangeFallback
        }
        var body = MonitorParameter(label: "", subscribeParam: subscribe,
                                    extendedEventParam: needsStatus ? [.status] : nil,
                                    triggerParam: TriggerParam(triggers: triggers, boolExp: formula.boolExp(names: names)))
        body.label = MonitorLabel.make(rules: members.map(\.key), body: body)
        return body
    }

    /// Fields a notification's `values` update: those watched by a data trigger path
    /// (`vehicle.alert` reports only the matching alerts, so it carries nothing).
    static func carriedFields(_ triggers: [MonitorTrigger]) -> Set<FieldID> {
        let paths = Set(triggers.compactMap { $0.data?.data }.filter { $0 != "vehicle.alert" })
        return Set(Catalog.fields.filter { f in f.monitor.map { paths.contains($0.path) } ?? false }.map(\.id))
    }
}

extension Array {
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
