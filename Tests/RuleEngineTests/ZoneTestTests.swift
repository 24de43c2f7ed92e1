@testable import RuleEngine
import RuleLanguage
import VehicleData
import VigieTestSupport
import XCTest

/// The engine's zone test rules positions out with cheap bounds before the haversine:
/// it must answer exactly as `Geo.isInside` (the reference), near the boundary above all.
final class ZoneTestTests: XCTestCase {
    /// Random zones (poles, the antimeridian, radius 0, continental radii) and positions
    /// at random, near the boundary and just across it.
    func testAgreesWithTheHaversineEverywhere() {
        var rng = SeededRandom(seed: 7)
        var outside = 0, inside = 0, ruledOut = 0
        for _ in 0..<2_000 {
            let zone = Zone(name: "z", latitude: randomLatitude(&rng), longitude: Double.random(in: -180...180, using: &rng),
                            radiusMeters: rng.pick([0, 1, 50, 500, 2_000, 80_000, 3_000_000]))
            var test = ZoneTest(zone)
            for _ in 0..<200 {
                let (lat, lon) = position(near: zone, &rng)
                let expected = Geo.isInside(zone, latitude: lat, longitude: lon)
                XCTAssertEqual(test.isInside(latitude: lat, longitude: lon), expected,
                               "zone \(zone.latitude),\(zone.longitude) r=\(zone.radiusMeters) at \(lat),\(lon)")
                if test.isClearlyOutside(latitude: lat, longitude: lon) {
                    ruledOut += 1
                    XCTAssertFalse(expected)
                }
                if expected { inside += 1 } else { outside += 1 }
            }
        }
        // The scenario reaches both answers, and the bounds do their job on most of the
        // positions outside.
        XCTAssertGreaterThan(inside, 50_000)
        XCTAssertGreaterThan(outside, 50_000)
        XCTAssertGreaterThan(ruledOut, outside / 3)
    }

    /// Positions exactly on the boundary along the meridian and the parallel, and one
    /// rounding step either side: the haversine decides, not the bounds.
    func testBoundaryIsDecidedByTheHaversine() {
        for (lat, radius) in [(0.0, 1_000.0), (48.8667, 2_000), (-33.9, 500), (89.9, 10_000), (60, 0)] {
            let zone = Zone(name: "z", latitude: lat, longitude: 10, radiusMeters: radius)
            var test = ZoneTest(zone)
            let dLat = radius / Geo.earthRadiusMeters * 180 / .pi
            let dLon = dLat / max(1e-9, cos(lat * .pi / 180))
            for p in [(lat + dLat, 10.0), (lat - dLat, 10), (lat, 10 + dLon), (lat, 10 - dLon)] {
                for la in [p.0.nextDown, p.0, p.0.nextUp] where abs(la) <= 90 {
                    for lo in [p.1.nextDown, p.1, p.1.nextUp] {
                        XCTAssertEqual(test.isInside(latitude: la, longitude: lo), Geo.isInside(zone, latitude: la, longitude: lo),
                                       "zone at \(lat) r=\(radius), position \(la),\(lo)")
                    }
                }
            }
        }
    }

    private func randomLatitude(_ rng: inout SeededRandom) -> Double {
        rng.chance(0.1) ? rng.pick([90, -90, 89.9999, -89.9999]) : Double.random(in: -90...90, using: &rng)
    }

    /// A position at a random bearing and a distance of about the radius (0.5–1.5 ×),
    /// sometimes far away.
    private func position(near zone: Zone, _ rng: inout SeededRandom) -> (Double, Double) {
        if rng.chance(0.2) { return (Double.random(in: -90...90, using: &rng), Double.random(in: -180...180, using: &rng)) }
        let scale = max(zone.radiusMeters, 1) * Double.random(in: 0.5...1.5, using: &rng)
        let angle = scale / Geo.earthRadiusMeters
        let bearing = Double.random(in: 0..<(2 * .pi), using: &rng)
        let rad = Double.pi / 180
        let lat = zone.latitude * rad, lon = zone.longitude * rad
        let lat2 = asin(sin(lat) * cos(angle) + cos(lat) * sin(angle) * cos(bearing))
        var lon2 = lon + atan2(sin(bearing) * sin(angle) * cos(lat), cos(angle) - sin(lat) * sin(lat2))
        if lon2 > .pi { lon2 -= 2 * .pi }
        if lon2 < -.pi { lon2 += 2 * .pi }
        return (min(90, max(-90, lat2 / rad)), lon2 / rad)
    }
}
