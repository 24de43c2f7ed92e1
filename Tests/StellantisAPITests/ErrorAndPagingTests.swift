import Foundation
import StellantisAPI
import StellantisModels
import XCTest

/// Typed errors from the API's error body, tolerant decoding, and HAL paging.
final class ErrorAndPagingTests: XCTestCase {
    func testAnErrorBodyBecomesATypedError() async throws {
        let server = try await FaultServer.start { _ in
            .json(404, #"{"code":40499,"uuid":"494f61d1-472a-4696-ac3c-2961496c3aaf","message":"No data availble","#
                + #""timestamp":"2020-01-01T00:00:00.000Z","debug":"CMP_001234"}"#)
        }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let error = await apiError { try await b2c.lastPosition("VIN1") }
        await harness.shutdown()
        guard case .api(let failure)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(failure.status, 404)
        XCTAssertEqual(failure.kind, .notFound)
        XCTAssertEqual(failure.code, 40499)
        XCTAssertEqual(failure.uuid, "494f61d1-472a-4696-ac3c-2961496c3aaf")
        XCTAssertEqual(failure.message, "No data availble")
        XCTAssertEqual(failure.body?.debug, "CMP_001234")
        XCTAssertEqual(failure.path, "/user/vehicles/VIN1/lastPosition")
        XCTAssertEqual("\(failure)", "GET /user/vehicles/VIN1/lastPosition: HTTP 404, code 40499: No data availble "
            + "(uuid 494f61d1-472a-4696-ac3c-2961496c3aaf)")
        XCTAssertEqual(server.requests.count, 1, "a 404 is not retried")
    }

    func testAnErrorWithoutABodyKeepsItsStatus() async throws {
        let server = try await FaultServer.start { _ in ScriptedResponse(status: 403, body: "<html>Forbidden</html>") }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let error = await apiError { try await b2c.vehicle("VIN1") }
        await harness.shutdown()
        guard case .api(let failure)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(failure.kind, .forbidden)
        XCTAssertNil(failure.body)
    }

    func testAMalformedSuccessIsAnInvalidResponse() async throws {
        let server = try await FaultServer.start { _ in .json(200, #"{"geometry":{"type":"Point"}}"#) }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let error = await apiError { try await b2c.lastPosition("VIN1") }
        await harness.shutdown()
        guard case .invalidResponse(let text)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(text.contains("geometry.coordinates"), text)
    }

    func testVehiclesFollowNextLinksAcrossPages() async throws {
        let server = try await FaultServer.start { request in
            let page = Int(request.query["pageToken"] ?? "1") ?? 1
            let next = page < 3 ? #","next":{"href":"http://elsewhere/connectedcar/v4/user/vehicles?pageToken=\#(page + 1)&client_id=leak"}"# : ""
            return .json(200, #"{"_links":{"self":{"href":"/v"},"first":{"href":"/v"}\#(next)},"total":5,"totalPage":3,"#
                + #""currentPage":\#(page),"_embedded":{"vehicles":[{"id":"v\#(page)a","vin":"VIN\#(page)A","_links":{"self":{"href":"/v"}}},"#
                + #"{"id":"v\#(page)b","_links":{"self":{"href":"/v"}}}]}}"#)
        }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let vehicles = try await b2c.vehicles()
        await harness.shutdown()
        XCTAssertEqual(vehicles.map(\.id), ["v1a", "v1b", "v2a", "v2b", "v3a", "v3b"])
        XCTAssertEqual(server.requests.map { $0.query["pageToken"] ?? "-" }, ["-", "2", "3"])
        XCTAssertEqual(Set(server.requests.map { $0.query["client_id"] ?? "" }), ["client-1"], "our client id, not the link's")
        XCTAssertEqual(Set(server.requests.map(\.path)), ["/connectedcar/v4/user/vehicles"], "same host and path")
    }

    func testStatusOfTheRealWorldShapeIsKept() async throws {
        let payload = #"{"energy":[{"type":"Electric","level":42,"charging":{"plugged":true,"chargingMode":"No"}}],"#
            + #""preconditionning":{"airConditioning":{"status":"Disabled"}},"updatedAt":null,"extra":{"x":1}}"#
        let server = try await FaultServer.start { _ in .json(200, payload) }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let status = try await b2c.status("v1")
        await harness.shutdown()
        XCTAssertNil(status.updatedAt)
        XCTAssertEqual(status.json["energy"]?.arrayValue?.first?["charging"]?["chargingMode"], .string("No"))
        XCTAssertEqual(status.json["extra"]?["x"], .number(1))
    }
}
