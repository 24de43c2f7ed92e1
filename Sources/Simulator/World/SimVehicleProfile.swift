/// What a simulated vehicle is: its identity and its fixed characteristics.
package struct SimVehicleProfile: Sendable, Hashable {
    package enum Motorization: String, Sendable, Hashable, CaseIterable {
        case electric = "Electric", hybrid = "Hybrid", thermic = "Thermic"
    }

    package var vin: String
    /// The opaque vehicle id of the B2C API (`/user/vehicles/{id}`).
    package var id: String
    package var brand: String
    package var model: String
    package var motorization: Motorization
    /// Usable traction battery, kWh (0 for thermic vehicles).
    package var batteryKWh: Double
    /// Electric consumption, kWh per 100 km.
    package var kWhPer100km: Double
    /// Fuel tank, litres (0 for electric vehicles).
    package var tankLitres: Double
    /// Fuel consumption, litres per 100 km.
    package var litresPer100km: Double
    /// Whether the car starts charging by itself when plugged in (else it waits for a
    /// `charging {immediate: true}` remote).
    package var autoStartCharge: Bool
    /// A fleet van (depot, client rounds) rather than a private car (home, work).
    package var isFleetVan: Bool

    package var hasBattery: Bool { motorization != .thermic }
    package var hasTank: Bool { motorization != .electric }
}

extension SimVehicleProfile {
    struct Catalogue {
        let brand: String, wmi: String, models: [(String, Motorization)]
    }
    static let brands: [Catalogue] = [
        Catalogue(brand: "Peugeot", wmi: "VF3", models: [("e-208", .electric), ("3008 Hybrid", .hybrid), ("308", .thermic), ("e-Expert", .electric)]),
        Catalogue(brand: "Citroen", wmi: "VF7", models: [("e-C4", .electric), ("C5 Aircross Hybrid", .hybrid), ("C3", .thermic), ("e-Berlingo", .electric)]),
        Catalogue(brand: "DS", wmi: "VR1", models: [("DS 3 E-Tense", .electric), ("DS 7 E-Tense", .hybrid)]),
        Catalogue(brand: "Opel", wmi: "W0L", models: [("Corsa-e", .electric), ("Grandland Hybrid", .hybrid), ("Astra", .thermic)]),
        Catalogue(brand: "Vauxhall", wmi: "W0V", models: [("Mokka-e", .electric), ("Vivaro-e", .electric)]),
    ]
    static let vinAlphabet = Array("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")

    /// The `index`-th vehicle of a world seeded with `rng`'s seed.
    static func generate(index: Int, using rng: inout SimRandom) -> SimVehicleProfile {
        let brand = brands[Int(rng.next() % UInt64(brands.count))]
        let (model, motorization) = brand.models[Int(rng.next() % UInt64(brand.models.count))]
        var vin = brand.wmi
        for _ in 0..<8 { vin.append(vinAlphabet[Int(rng.next() % UInt64(vinAlphabet.count))]) }
        vin += String(index).leftPadded(to: 6)
        let isVan = model.contains("Expert") || model.contains("Berlingo") || model.contains("Vivaro")
        return SimVehicleProfile(
            vin: vin, id: rng.hex(bytes: 24), brand: brand.brand, model: model, motorization: motorization,
            batteryKWh: motorization == .electric ? (isVan ? 75 : 50) : motorization == .hybrid ? 13.2 : 0,
            kWhPer100km: isVan ? 24 : rng.uniform(14...18),
            tankLitres: motorization == .electric ? 0 : 50,
            litresPer100km: motorization == .hybrid ? 5.5 : rng.uniform(5.5...7.5),
            autoStartCharge: rng.chance(0.6), isFleetVan: isVan)
    }
}
