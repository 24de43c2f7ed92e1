/// A GeoJSON Point (`Point` in the OpenAPI files): `{type: "Point", coordinates: [lon, lat, altitude?]}`.
public struct GeoPoint: Sendable, Hashable {
    public var type: String
    public var coordinates: [Double]

    public init(longitude: Double, latitude: Double, altitude: Double? = nil) {
        type = "Point"
        coordinates = [longitude, latitude] + (altitude.map { [$0] } ?? [])
    }

    public init(type: String = "Point", coordinates: [Double]) {
        self.type = type
        self.coordinates = coordinates
    }

    public var longitude: Double? { coordinates.count >= 2 ? coordinates[0] : nil }
    public var latitude: Double? { coordinates.count >= 2 ? coordinates[1] : nil }
    public var altitude: Double? { coordinates.count >= 3 ? coordinates[2] : nil }
}

extension GeoPoint: Codable {
    enum CodingKeys: String, CodingKey { case type, coordinates }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? "Point"
        coordinates = try c.decode([Double].self, forKey: .coordinates)
    }
}
