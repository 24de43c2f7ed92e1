import Foundation
import VigieTestSupport
import XCTest

/// DESIGN.md "Compiling to monitors: the rules of the game", through `vigie compile`:
/// radius rounding by transition, whole-number thresholds, `refreshEvent`, `boolExp`,
/// trigger names, `timeZone`, sorted keys and the per-rule report.
final class ConformanceCompileTests: XCTestCase {
    var ws: ConformanceWorkspace!

    override func setUpWithError() throws { ws = try ConformanceWorkspace() }
    override func tearDown() { ws.remove() }

    static let rules = """
        vigie: 1
        bundle: game
        zones:
          home: { center: { lat: 48.0, lon: 2.0 }, radius: 1.5 km }
          tiny: { center: { lat: 48.0, lon: 2.0 }, radius: 500 m }
          far: { center: { lat: 45.0, lon: 5.0 }, radius: 2.7 km }
        schedules:
          night: { from: "22:00", to: "06:00" }
        rules:
          - id: exact
            when: battery.level >= 20 and charging.plugged
            then: [{horn: on}]
          - id: exact-for
            when: battery.level < 30
            for: 10m
            then: [{horn: on}]
          - id: in-home
            when: inside(home) and battery.level < 20
            during: night
            then: [{horn: on}]
          - id: out-far
            when: not inside(far) and not inside(tiny)
            repeat: 15m
            then: [{horn: on}]
        """

    func compiled() throws -> (text: String, monitors: [String: OpenAPIValue], runs: [String: OpenAPIValue]) {
        try ws.write("rules.yaml", Self.rules)
        let r = try ws.vigie(["compile", "rules.yaml", "--format", "json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let json = try OpenAPIValue.parsing(json: r.stdout)
        var monitors: [String: OpenAPIValue] = [:], runs: [String: OpenAPIValue] = [:]
        for m in json["monitors"]?.arrayValue ?? [] {
            for rule in m["rules"]?.arrayValue ?? [] { monitors[rule.stringValue ?? "?"] = m["monitor"] }
            XCTAssertTrue(m["vin"]?.isNull ?? false)
            XCTAssertTrue(m["fleet"]?.isNull ?? false)
        }
        for rule in json["rules"]?.arrayValue ?? [] { runs[rule["rule"]?.stringValue ?? "?"] = rule }
        return (r.stdout, monitors, runs)
    }

    func testTheRulesOfTheGame() throws {
        let (text, monitors, runs) = try compiled()
        func triggers(_ rule: String) -> [OpenAPIValue] { monitors[rule]?["triggerParam"]?["triggers"]?.arrayValue ?? [] }
        func refresh(_ rule: String) -> OpenAPIValue? { monitors[rule]?["subscribeParam"]?["refreshEvent"] }

        // `battery.level >= 20` → `greaterThan 19`; an exact monitor without for/repeat has no refreshEvent.
        let exact = triggers("game/exact").compactMap { $0["data"] }
        XCTAssertTrue(exact.contains { $0["data"]?.stringValue == "vehicle.energy.electric.level"
            && $0["op"]?.stringValue == "greaterThan" && $0["value"]?.arrayValue?.first?.stringValue == "19" }, text)
        XCTAssertNil(refresh("game/exact"), text)
        XCTAssertEqual(runs["exact"]?["runs"]?.stringValue, "server")
        // An exact monitor carries `for` as its refreshEvent.
        XCTAssertEqual(refresh("game/exact-for")?.doubleValue, 600, text)

        // In: radius rounded up to whole km; a prefilter refreshes every 300 s without for/repeat.
        let home = triggers("game/in-home").compactMap { $0["zone"] }
        XCTAssertEqual(home.first?["transition"]?.stringValue, "In", text)
        XCTAssertEqual(home.first?["place"]?["radius"]?.doubleValue, 2, text)
        XCTAssertEqual(refresh("game/in-home")?.doubleValue, 300, text)
        XCTAssertEqual(runs["in-home"]?["runs"]?.stringValue, "prefilter")
        XCTAssertFalse(runs["in-home"]?["reason"]?.stringValue?.isEmpty ?? true)
        let time = triggers("game/in-home").compactMap { $0["time"] }
        XCTAssertEqual(time.first?["timeZone"]?.stringValue, "Etc/UTC", text)

        // Out: rounded down; a zone under 1 km cannot be watched from outside; refresh = repeat.
        let far = triggers("game/out-far").compactMap { $0["zone"] }
        XCTAssertEqual(far.count, 1, text)
        XCTAssertEqual(far.first?["transition"]?.stringValue, "Out")
        XCTAssertEqual(far.first?["place"]?["radius"]?.doubleValue, 2)
        XCTAssertEqual(refresh("game/out-far")?.doubleValue, 900, text)

        for (rule, monitor) in monitors {
            let exp = monitor["triggerParam"]?["boolExp"]?.stringValue ?? ""
            XCTAssertTrue(exp.hasPrefix("(") && exp.hasSuffix(")"), "\(rule): \(exp)")
            for t in monitor["triggerParam"]?["triggers"]?.arrayValue ?? [] {
                let name = t["name"]?.stringValue ?? ""
                XCTAssertTrue(!name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, name)
                XCTAssertTrue(exp.contains(name), "\(rule): \(name) not in \(exp)")
            }
        }
    }

    /// Sorted keys: every object's keys appear in sorted order in the printed text.
    func testKeysAreSorted() throws {
        let (text, _, _) = try compiled()
        var stack: [[String]] = [], index = text.startIndex, inString = false, key = "", checked = 0
        while index < text.endIndex {
            let c = text[index]
            if inString {
                if c == "\\" { index = text.index(after: index); key.append("\\") } else if c == "\"" {
                    inString = false
                    let rest = text[text.index(after: index)...].drop { $0 == " " }
                    if rest.first == ":", !stack.isEmpty { stack[stack.count - 1].append(key) }
                } else { key.append(c) }
            } else if c == "\"" { inString = true; key = "" } else if c == "{" { stack.append([]) } else if c == "}" {
                let keys = stack.removeLast()
                XCTAssertEqual(keys, keys.sorted(), "keys out of order: \(keys)")
                if keys.count > 1 { checked += 1 }
            }
            index = text.index(after: index)
        }
        XCTAssertTrue(stack.isEmpty)
        XCTAssertGreaterThan(checked, 15, "the scan should see the monitors' objects")
    }
}
