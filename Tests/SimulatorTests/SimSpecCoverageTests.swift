import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import VehicleData
import VigieTestSupport
import XCTest
@testable import Simulator

/// Every operation documented by api-b2c.yaml and api-b2b.yaml answers like the API: a JSON
/// body (or 204) and the rate-limit headers, never a bare 404; the ones not simulated answer
/// 501 with the documented error body.
final class SimSpecCoverageTests: XCTestCase {
    func testEveryDocumentedOperationAnswersWithABodyAndHeaders() async throws {
        let h = SimHarness(vehicles: 2) { $0.burstLimit = 100_000 }
        let token = await h.core.bootstrapTokens().access
        let app = Application(router: buildSimRouter(core: h.core))
        let vid = await h.vehicleId(0), vin = await h.core.world.vehicles[0].vin
        let values = ["id": vid, "vid": vid, "vin": vin, "fid": "fleet-1"]
        let unimplemented = try await app.test(.router) { raw in
            var unimplemented: [String] = []
            let c = SimClient(client: raw, token: token)
            for (file, base, b2b) in [("api-b2c.yaml", "/connectedcar/v4", false), ("api-b2b.yaml", "/connectedcar/v3", true)] {
                let doc = try OpenAPIDocument.official(file)
                let paths = try XCTUnwrap(doc.root["paths"]?.objectValue)
                for (template, item) in paths.sorted(by: { $0.key < $1.key }) {
                    // A path item may be a `$ref` to a fragment (the B2C trip operations).
                    let ops = item["$ref"]?.stringValue.flatMap { doc.resolve(ref: $0) } ?? item
                    let path = template.split(separator: "/").map { part -> String in
                        guard part.hasPrefix("{") else { return String(part) }
                        return values[String(part.dropFirst().dropLast())] ?? "x1"
                    }.joined(separator: "/")
                    for method in ["get", "post", "put", "delete"] where ops[method] != nil {
                        let m = HTTPRequest.Method(rawValue: method.uppercased())!
                        let r = try await c.call(m, base + "/" + path, body: m == .post || m == .put ? .object([:]) : nil, b2b: b2b)
                        let what = "\(method.uppercased()) \(template) (\(file)) → \(r.status)"
                        XCTAssertNotNil(r.headers[HTTPField.Name("X-RateLimit-Remaining-1")!], what)
                        if r.status == 204 { continue }
                        let body = try XCTUnwrap(r.json?.objectValue, "\(what): a JSON body")
                        if r.status >= 400 {
                            XCTAssertEqual(Set(body.keys), ["code", "uuid", "message", "timestamp", "debug"], what)
                            XCTAssertEqual(body["code"]?.doubleValue.map { Int($0) / 100 }, r.status, what)
                        }
                        if r.status == 501 { unimplemented.append("\(method.uppercased()) \(file == "api-b2c.yaml" ? "b2c" : "b2b") \(template)") }
                        XCTAssertNotEqual(r.status, 500, what)
                    }
                }
            }
            return unimplemented
        }
        XCTAssertEqual(unimplemented.count, SimUnimplementedRoutes.b2c.count + SimUnimplementedRoutes.b2b.count,
                       unimplemented.joined(separator: "\n"))
        XCTAssertTrue(unimplemented.contains("GET b2b /fleets/{fid}/vehicles/{vid}/trips"))
        XCTAssertFalse(unimplemented.contains { $0.hasSuffix("/maintenance") || $0.hasSuffix("/alarms") || $0.hasSuffix("/lastPosition") })
    }
}
