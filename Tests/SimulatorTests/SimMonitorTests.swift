import Foundation
import VehicleData
import XCTest
@testable import Simulator

/// Monitor validation like the real API (400s) and server-side evaluation semantics.
final class SimMonitorTests: XCTestCase {
    func monitor(_ triggers: String, _ exp: String, refresh: Int? = nil) -> JSONValue {
        .parse("""
        {"label": "t", \(refresh.map { "\"subscribeParam\": {\"refreshEvent\": \($0)}," } ?? "")
         "triggerParam": {"triggers": [\(triggers)], "boolExp": "\(exp)"}}
        """)
    }

    func data(_ name: String, _ path: String, _ op: String, _ values: [String]) -> String {
        let v = values.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"name": "\#(name)", "data": {"data": "\#(path)", "op": "\#(op)", "value": [\#(v)]}}"#
    }

    func setUp(_ h: SimHarness) async throws -> (String, String) {
        let cb = try await h.core.createCallback(h.user, body: .parse("""
        {"callback": {"webhook": {"name": "w", "target": "http://127.0.0.1:9/hook"}}}
        """))
        return (await h.vehicleId(0), cb["callbackId"]!.stringValue!)
    }

    func code(_ body: JSONValue, _ h: SimHarness, _ id: String, _ cb: String) async -> Int? {
        do {
            _ = try await h.core.createMonitor(h.user, vehicle: id, callback: cb, body: body)
            return nil
        } catch let e as SimAPIError {
            XCTAssertEqual(e.status, 400, e.message)
            return e.code
        } catch { return -1 }
    }

    func testInvalidMonitorsAreRefusedWith400() async throws {
        let h = SimHarness()
        let (id, cb) = try await setUp(h)
        let level = data("a", "vehicle.energy.electric.level", "lowerThan", ["20"])
        let six = (1...6).map { data("t\($0)", "vehicle.kinetic.speed", "greaterThan", ["\($0)"]) }.joined(separator: ",")
        var c = await code(monitor(six, "t1"), h, id, cb)
        XCTAssertEqual(c, 40010, "more than 5 triggers")
        c = await code(monitor(level, "a | !a"), h, id, cb)
        XCTAssertEqual(c, 40012, "always true")
        c = await code(monitor(level, "(a & !a)"), h, id, cb)
        XCTAssertEqual(c, 40012, "always false")
        c = await code(monitor(level + "," + data("b", "vehicle.kinetic.moving", "equalsTo", ["true"]), "(a | b) | (!a & !b)"), h, id, cb)
        XCTAssertEqual(c, 40012, "a tautology over two triggers")
        c = await code(monitor(data("a", "vehicle.energy.electric.level", "onChange", []), "a"), h, id, cb)
        XCTAssertEqual(c, 40014, "onChange is not accepted for the electric level")
        c = await code(monitor(data("a", "vehicle.energy.charging.plugged", "greaterThan", ["1"]), "a"), h, id, cb)
        XCTAssertEqual(c, 40014)
        c = await code(monitor(level, "(a & zz)"), h, id, cb)
        XCTAssertEqual(c, 40013, "undeclared trigger name")
        c = await code(monitor(level + "," + data("b", "vehicle.kinetic.moving", "equalsTo", ["true"]) + ","
                               + data("d", "vehicle.kinetic.speed", "greaterThan", ["3"]), "a & b | d"), h, id, cb)
        XCTAssertEqual(c, 40011, "& and | mixed without parentheses")
        c = await code(monitor(data("a", "vehicle.nope", "equalsTo", ["1"]), "a"), h, id, cb)
        XCTAssertEqual(c, 40015)
        c = await code(monitor(#"{"name": "z", "zone": {"transition": "In", "place": {"radius": 2, "center": {"latitude": 48.8, "longitude": 2.3}}}, "time": {"times": []}}"#, "z"), h, id, cb)
        XCTAssertEqual(c, 40017, "two kinds in one trigger")
        c = await code(monitor(#"{"name": "t", "time": {"timeZone": "UTC", "times": [{"recurrence": "Daily", "start": "PT8H", "duration": "PT1H"}]}}"#, "t"), h, id, cb)
        XCTAssertEqual(c, 40017, "UTC is not an Area/City name")
        for i in 1...5 {
            _ = try await h.core.createMonitor(h.user, vehicle: id, callback: cb,
                                               body: monitor(data("a", "vehicle.kinetic.speed", "greaterThan", ["\(i)"]), "a"))
        }
        c = await code(monitor(level, "a"), h, id, cb)
        XCTAssertEqual(c, 40020, "a sixth monitor for the vehicle")
    }

    func testBoolExpTriviality() {
        XCTAssertEqual(try SimBoolExpr.parse("((a & b) | !a)").get().constantValue, nil)
        XCTAssertEqual(try SimBoolExpr.parse("(a | b) | !(a | b)").get().constantValue, true)
        XCTAssertEqual(try SimBoolExpr.parse("!(a | !a)").get().constantValue, false)
        XCTAssertNotNil(try? SimBoolExpr.parse("((z1 & t1) | (z2 & !t1) | (f & z1))").get())
    }

    /// A threshold monitor notifies when it becomes satisfied, then every refreshEvent
    /// while it stays, and again only after it was false in between.
    func testDataMonitorNotifiesOnBecomingTrueAndRefreshes() async throws {
        let h = SimHarness(vehicles: 1)
        let (id, cb) = try await setUp(h)
        _ = try await h.core.createMonitor(h.user, vehicle: id, callback: cb,
                                           body: monitor(data("hot", "environment.air.temp", "greaterThan", ["-100"]), "hot", refresh: 120))
        await h.advance(1)
        var events = await h.transport.messages.compactMap { $0["monitorEvent"] }
        XCTAssertEqual(events.count, 1, "already true at creation: notified at once")
        XCTAssertEqual(events.first?["refresh"], .bool(false))
        XCTAssertEqual(events.first?["values"]?.arrayValue?.first?["data"]?.stringValue, "environment.air.temp")
        await h.advance(300, step: 10)
        events = await h.transport.messages.compactMap { $0["monitorEvent"] }
        XCTAssertEqual(events.count, 3, "refreshes at +120 s and +240 s")
        XCTAssertEqual(events.last?["refresh"], .bool(true))
        for m in await h.transport.messages { Schemas.assertSchema(m, Schemas.b2cWebhook, "Message") }
    }

    func testZoneTimeAndOnChangeTriggers() async throws {
        let h = SimHarness(vehicles: 1)
        let v = await h.core.world.vehicles[0]
        let home = v.places[0].point
        let now = SimHarness.start
        let spec = try MonitorParser.parse(monitor("""
        {"name": "home", "zone": {"transition": "In", "place": {"radius": 1, "center": {"latitude": \(home.latitude), "longitude": \(home.longitude)}}}},
        {"name": "away", "zone": {"transition": "Out", "place": {"radius": 1, "center": {"latitude": \(home.latitude), "longitude": \(home.longitude)}}}},
        {"name": "morning", "time": {"timeZone": "Europe/Paris", "times": [{"recurrence": "Daily", "start": "PT6H", "duration": "PT2H", "occurence": {"day": ["Mon"]}}]}}
        """, "(home & morning) | away"), b2b: false).get()
        // 06:00Z is 07:00 in Paris on Monday: inside the window, and the car is at home.
        var runtime = MonitorRuntime()
        XCTAssertNotNil(MonitorEvaluator.evaluate(spec, on: v, at: now, runtime: &runtime))
        XCTAssertNil(MonitorEvaluator.evaluate(spec, on: v, at: now.addingTimeInterval(60), runtime: &runtime),
                     "no second notification while it stays true")
        XCTAssertNil(MonitorEvaluator.evaluate(spec, on: v, at: now.addingTimeInterval(3 * 3600), runtime: &runtime),
                     "outside the window: false")
        var moved = v
        moved.reported.position = GeoCoordinate(latitude: home.latitude + 0.05, longitude: home.longitude)
        XCTAssertNotNil(MonitorEvaluator.evaluate(spec, on: moved, at: now.addingTimeInterval(3 * 3600 + 60), runtime: &runtime),
                        "left the 1 km circle: Out holds")

        let change = try MonitorParser.parse(monitor(data("p", "vehicle.energy.charging.plugged", "onChange", []), "p"), b2b: false).get()
        var r2 = MonitorRuntime()
        var car = v
        MonitorEvaluator.prime(change, on: car, runtime: &r2)
        XCTAssertNil(MonitorEvaluator.evaluate(change, on: car, at: now, runtime: &r2), "no change yet")
        car.reported.plugged.toggle()
        XCTAssertNotNil(MonitorEvaluator.evaluate(change, on: car, at: now, runtime: &r2), "plug state changed")
        XCTAssertNil(MonitorEvaluator.evaluate(change, on: car, at: now, runtime: &r2), "a change is an event")
    }

    /// One coarse tick covering a whole day still sees every departure and arrival.
    func testOnChangeIsSeenWithinACoarseTick() async throws {
        let h = SimHarness(vehicles: 1)
        let (id, cb) = try await setUp(h)
        _ = try await h.core.createMonitor(h.user, vehicle: id, callback: cb,
                                           body: monitor(data("m", "vehicle.kinetic.moving", "onChange", []), "m"))
        await h.advance(86400, step: 86400)
        let events = await h.transport.messages.compactMap { $0["monitorEvent"] }
        XCTAssertGreaterThanOrEqual(events.count, 2, "left and came back during the day")
        let values = events.compactMap { $0["values"]?.arrayValue?.first?["value"]?["body"]?["literalValue"]?.stringValue }
        XCTAssertEqual(values.first, "true")
    }

    /// The op table matches the DataTrigger table of api-b2c.yaml.
    func testDataPathTableMatchesTheOfficialFile() throws {
        let text = try String(contentsOf: URL(fileURLWithPath: SharedFilesPath.b2c), encoding: .utf8)
        var official: [String: Set<String>] = [:]
        let ops = ["equalsTo", "greaterThan", "lowerThan", "includedIn", "onChange"]
        for line in text.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("| vehicle.")
            || line.trimmingCharacters(in: .whitespaces).hasPrefix("| environment.") || line.trimmingCharacters(in: .whitespaces).hasPrefix("| privacy.") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard cells.count >= 3 else { continue }
            let path = String(cells[0].split(separator: " ")[0])
            guard official[path] == nil else { continue }   // the first table (DataTrigger.data)
            official[path] = Set(ops.filter { cells[2].contains($0) })
        }
        XCTAssertEqual(official.count, 29)
        for (path, accepted) in DataPaths.table { XCTAssertEqual(Set(accepted), official[path], path) }
    }
}

enum SharedFilesPath {
    static var b2c: String { Schemas.b2cPath }
}
