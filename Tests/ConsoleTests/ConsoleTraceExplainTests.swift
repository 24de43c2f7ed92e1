import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import RuleLanguage
import VigieKit
import XCTest

/// The trace page's `--explain` view, with `vigie explain`'s own rebuild
/// (`Explain.consoleExplainer`, as serve mounts it): each sub-condition with the values it
/// read and its truth, at the decision's instant.
final class ConsoleTraceExplainTests: XCTestCase {
    static let vin = "VR3TRACE000000001"

    func testTheTraceShowsEachSubConditionWithItsValuesAndTruth() async throws {
        let database = try OutcomeDatabase.inMemory()
        let rules = RuleValidator.validate([SourceFile(path: "rules.yaml", text: """
            vigie: 1
            bundle: fleet
            rules:
              - id: low-battery
                when: battery.level < 20 and charging.plugged
                then:
                  - horn: on
            """)]).bundles
        XCTAssertEqual(rules.count, 1)
        let body = """
            {"attributes":[{"key":"vin","value":"\(Self.vin)"}],"callbackId":"cb","date":"2026-03-02T22:00:00Z",\
            "monitorEvent":{"monitorId":"m1","values":[\
            {"data":"vehicle.energy.electric.level","value":{"body":{"literalValue":"15"},"type":"string"}},\
            {"data":"vehicle.energy.charging.plugged","value":{"body":{"literalValue":"false"},"type":"string"}}]},\
            "type":"Monitor"}
            """
        let at = try XCTUnwrap(Timestamp.parse("2026-03-02T22:00:00Z"))
        _ = try await database.appendIntake([IntakeBatch(notifications: [
            .init(dedupKey: "n1", vin: Self.vin, type: "Monitor", eventDate: "2026-03-02T22:00:00Z", body: body),
        ])], at: at)
        let ids = try await database.commit(DecisionCommit(scope: "serve", decisions: [
            DecisionRecord(at: at, vin: Self.vin, bundle: "fleet", rule: "low-battery", event: .suppressed,
                           reason: "cooldown", actions: [], inboxId: 1),
        ]), now: at)
        let token = "trace-token"
        let explain = Explain.consoleExplainer(bundles: rules, inventory: nil, reorderWindow: 0)(database)
        let console = try Console(source: ConsoleSource(database: database, bundles: rules, explain: explain),
                                  settings: ConsoleSettings(token: token))
        let router = Router()
        console.addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            let page = try await client.execute(uri: "/console/decisions/\(ids[0])", method: .get,
                                                headers: [.authorization: "Bearer \(token)"])
            XCTAssertEqual(page.status, .ok)
            let html = String(buffer: page.body)
            XCTAssertTrue(html.contains("Evaluated 2026-03-02 22:00:00Z (observation, was armed): <span class=\"tag false\">false</span>"), html)
            XCTAssertTrue(html.contains("<td class=\"cond d0\">and</td><td><span class=\"tag false\">false</span>"), html)
            XCTAssertTrue(html.contains("<td class=\"cond d1\">battery.level &lt; 20  [battery.level = 15]</td><td><span class=\"tag true\">true</span>"), html)
            XCTAssertTrue(html.contains("<td class=\"cond d1\">charging.plugged  [= false]</td><td><span class=\"tag false\">false</span>"), html)
            XCTAssertTrue(html.contains("replayed 1 notification up to 2026-03-02T22:00:00Z from the start of the inbox"), html)
            XCTAssertTrue(html.contains("<code>vigie explain --vin \(Self.vin) --rule fleet/low-battery --at 2026-03-02T22:00:00"), html)
        }
    }
}
