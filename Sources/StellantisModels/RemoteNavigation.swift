/// `navigation`: up to 10 GeoJSON points and `driverApproval` (`RemoteNavigation`).
public struct RemoteNavigation: Sendable, Hashable, Codable {
    public var positions: [GeoPoint]
    public var driverApproval: Bool?
    public init(positions: [GeoPoint], driverApproval: Bool? = nil) {
        self.positions = positions
        self.driverApproval = driverApproval
    }
}
