/// A named place vehicles drive between.
package struct SimPlace: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case home, work, depot, shop, leisure, client
    }
    package var name: String
    package var kind: Kind
    package var point: GeoCoordinate
    /// Whether a charging point is available there (EVs may plug in).
    package var hasCharger: Bool

    package init(name: String, kind: Kind, point: GeoCoordinate, hasCharger: Bool) {
        self.name = name
        self.kind = kind
        self.point = point
        self.hasCharger = hasCharger
    }
}
