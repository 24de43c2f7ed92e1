/// A named place vehicles drive between.
public struct SimPlace: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case home, work, depot, shop, leisure, client
    }
    public var name: String
    public var kind: Kind
    public var point: GeoCoordinate
    /// Whether a charging point is available there (EVs may plug in).
    public var hasCharger: Bool

    public init(name: String, kind: Kind, point: GeoCoordinate, hasCharger: Bool) {
        self.name = name
        self.kind = kind
        self.point = point
        self.hasCharger = hasCharger
    }
}
