import Foundation
@testable import StellantisAPI
import StellantisModels
import Synchronization
import XCTest

/// A remote POST is never repeated: a lost answer is settled by listing the remotes.
final class RemoteReconciliationTests: XCTestCase {
    /// A remotes collection: GET lists, POST creates (then answers as `postAnswer` says).
    final class RemoteBoard: Sendable {
        private let actions: Mutex<[String]>
        let postAnswer: @Sendable (String) -> ScriptedResponse
        let createOnPost: Bool

        init(existing: [String] = [], createOnPost: Bool = true, postAnswer: @escaping @Sendable (String) -> ScriptedResponse) {
            actions = Mutex(existing)
            self.createOnPost = createOnPost
            self.postAnswer = postAnswer
        }

        func handle(_ request: RecordedRequest) -> ScriptedResponse {
            if request.method == "GET" {
                let items = actions.withLock { $0 }.joined(separator: ",")
                return .json(200, #"{"_links":{"self":{"href":"/r"},"first":{"href":"/r"}},"total":1,"totalPage":1,"#
                    + #""currentPage":1,"_embedded":{"remoteActions":[\#(items)]}}"#)
            }
            let id = "ra-\(actions.withLock { $0.count } + 1)"
            if createOnPost {
                let body = String(decoding: request.body, as: UTF8.self)
                actions.withLock {
                    $0.append(#"{"remoteActionId":"\#(id)","type":"Doors","status":"Accepted","remote":\#(body),"#
                        + #""_links":{"self":{"href":"/r/\#(id)"}}}"#)
                }
            }
            return postAnswer(id)
        }
    }

    static let lock = Remote(.door(RemoteDoor(state: .locked)))
    static let olderLock = #"{"remoteActionId":"ra-old","type":"Doors","status":"Success","remote":{"door":{"state":"Locked"}},"#
        + #""_links":{"self":{"href":"/r/ra-old"}}}"#

    func run(_ board: RemoteBoard, timeout: Double = 10) async throws -> (Result<RemotePostResponse, StellantisAPIError>, FaultServer) {
        let server = try await FaultServer.start { board.handle($0) }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c(timeout: timeout)
        let result: Result<RemotePostResponse, StellantisAPIError>
        do {
            result = .success(try await b2c.postRemote(vehicle: "v1", callback: "cb1", Self.lock))
        } catch let error as StellantisAPIError {
            result = .failure(error)
        }
        await harness.shutdown()
        return (result, server)
    }

    func testALostAnswerIsReconciledWithoutASecondPost() async throws {
        let gate = Gate()
        let board = RemoteBoard(existing: [Self.olderLock]) { _ in
            ScriptedResponse(status: 202, body: "{}", holdUntil: gate)
        }
        let (result, server) = try await run(board, timeout: 0.5)
        XCTAssertEqual(try result.get().remoteActionId, "ra-2", "the new action, not yesterday's identical one")
        XCTAssertEqual(try result.get().type, .known(.doors))
        XCTAssertEqual(server.requests("POST", "/remotes").count, 1, "never POSTed twice")
        XCTAssertEqual(server.requests("GET", "/remotes").count, 2, "listed before and after")
        let posted = try XCTUnwrap(server.requests("POST", "/remotes").first)
        XCTAssertEqual(String(decoding: posted.body, as: UTF8.self), #"{"door":{"state":"Locked"}}"#)
        XCTAssertEqual(posted.path, "/connectedcar/v4/user/vehicles/v1/callbacks/cb1/remotes")
    }

    func testABadGatewayThatCreatedNothingIsReportedAsNotApplied() async throws {
        let board = RemoteBoard(existing: [Self.olderLock], createOnPost: false) { _ in .json(502, #"{"code":50200}"#) }
        let (result, server) = try await run(board)
        guard case .failure(.remoteNotApplied(let cause)) = result else { return XCTFail("\(result)") }
        XCTAssertTrue(cause.contains("502"), cause)
        XCTAssertEqual(server.requests("POST", "/remotes").count, 1)
    }

    func testADefiniteRefusalIsReturnedAsIs() async throws {
        let board = RemoteBoard(createOnPost: false) { _ in
            .json(400, #"{"code":40010,"uuid":"u-400","message":"SameActionInProgress","timestamp":"2026-01-01T00:00:00Z"}"#)
        }
        let (result, server) = try await run(board)
        guard case .failure(.api(let failure)) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(failure.code, 40010)
        XCTAssertEqual(failure.uuid, "u-400")
        XCTAssertEqual(server.requests("GET", "/remotes").count, 1, "no reconciliation after a definite answer")
    }

    func testAnAnsweredPostReturnsTheServersId() async throws {
        let board = RemoteBoard { id in .json(202, #"{"remoteActionId":"\#(id)","type":"Doors"}"#) }
        let (result, server) = try await run(board)
        XCTAssertEqual(try result.get().remoteActionId, "ra-1")
        XCTAssertEqual(server.requests("POST", "/remotes").count, 1)
    }

    func testMatchingComparesBodiesOrTypes() {
        let unlock = RemoteAction(remoteActionId: "a", type: .doors, remote: Remote(.door(RemoteDoor(state: .unlocked))))
        XCTAssertFalse(RemoteReconciler.matches(unlock, Self.lock))
        let labelled = RemoteAction(remoteActionId: "b", remote: Remote(.door(RemoteDoor(state: .locked)), label: "x"))
        XCTAssertTrue(RemoteReconciler.matches(labelled, Self.lock))
        let bare = RemoteAction(remoteActionId: "c", type: .doors)
        XCTAssertTrue(RemoteReconciler.matches(bare, Self.lock))
        XCTAssertFalse(RemoteReconciler.matches(RemoteAction(remoteActionId: "d", type: .horn), Self.lock))
    }
}
