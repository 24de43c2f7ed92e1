import Foundation
import MonitorCompiler
import RuleLanguage
import StellantisModels
import VehicleData
import VigieTestSupport

/// Builds checked bundles by hand (the compiler's input), so compiler tests do not
/// depend on the rule-file loader.
enum BundleBuilder {
    static let range = SourceRange(file: "test.yaml", start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))

    static func id(_ alias: String) -> FieldID {
        guard let f = Catalog.field(named: alias) else { fatalError("no field \(alias)") }
        return f.id
    }

    static func cmp(_ alias: String, _ op: CompareOp, _ n: Double) -> Condition { .compare(id(alias), op, .number(n)) }
    static func eq(_ alias: String, _ member: String) -> Condition { .compare(id(alias), .eq, .member(member)) }
    static func ne(_ alias: String, _ member: String) -> Condition { .compare(id(alias), .ne, .member(member)) }
    static func isTrue(_ alias: String) -> Condition { .isTrue(id(alias)) }

    static let depot = Zone(name: "depot", latitude: 48.8667, longitude: 2.3333, radiusMeters: 2000)
    static let offPeak = Schedule(name: "off_peak", days: [.mon, .tue, .wed, .thu, .fri], fromMinute: 22 * 60, toMinute: 6 * 60)

    static func rule(_ id: String, _ when: Condition, during: [Schedule] = [], for forSeconds: Double? = nil,
                     repeat repeatSeconds: Double? = nil, actions: [Action] = [.remote(.chargeStart)]) -> CheckedRule {
        var condition = when
        if !during.isEmpty {
            let windows = during.map { Condition.within($0) }
            condition = .and([when, windows.count == 1 ? windows[0] : .or(windows)])
        }
        return CheckedRule(id: id, condition: condition, during: during, forSeconds: forSeconds,
                           repeatSeconds: repeatSeconds, actions: actions, range: range)
    }

    static func bundle(_ name: String, _ rules: [CheckedRule], timeZone: String = "Europe/Paris",
                       zones: [Zone] = [depot], schedules: [Schedule] = [offPeak]) -> CheckedBundle {
        CheckedBundle(name: name, timeZone: timeZone, zones: zones, schedules: schedules, rules: rules, range: range)
    }
}

/// Validates emitted monitors against the official schemas (loaded once).
enum OfficialSchemas {
    static let b2c = JSONSchemaValidator(document: try! OpenAPIDocument.official("api-b2c.yaml"))
    static let b2b = JSONSchemaValidator(document: try! OpenAPIDocument.official("api-b2b.yaml"))

    static func violations(_ monitor: MonitorParameter, api: MonitorAPI) throws -> [String] {
        let validator = api == .b2c ? b2c : b2b
        return try validator.validate(encoding: monitor, schemaNamed: "MonitorParameter").map(\.description)
    }
}
