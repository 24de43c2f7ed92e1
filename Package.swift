// swift-tools-version:6.0
import PackageDescription

// Dependencies point downward only:
//   vigie → VigieKit → {VigieRuntime, Simulator}
//   VigieRuntime → {WebhookServer, MonitorCompiler, OutcomeStore, StellantisAPI}
//   OutcomeStore → VehicleData;  RuleEngine → RuleLanguage → VehicleData
//   MonitorCompiler → {RuleLanguage, StellantisModels};  StellantisAPI → StellantisModels
let package = Package(
    name: "Vigie",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigie", targets: ["vigie"]),
        // What a program outside this package may build on: the rule language, the
        // engine, the monitor compiler and the Stellantis API client with its models.
        // Everything else (runtime, stores, console, notifications, command
        // implementations) is `package`: shared by Vigie's own modules, not a promise.
        .library(name: "VigieRules", targets: [
            "VehicleData", "RuleLanguage", "RuleEngine", "MonitorCompiler",
            "StellantisModels", "StellantisAPI",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.60.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.25.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        .target(name: "VehicleData"),
        .target(name: "RuleLanguage", dependencies: [
            "VehicleData",
            .product(name: "Yams", package: "Yams"),
        ]),
        // static inline C helpers of the engine's hot path (cache prefetch).
        .target(name: "CVigieSupport"),
        .target(name: "RuleEngine", dependencies: [
            "RuleLanguage", "VehicleData", "CVigieSupport",
            .product(name: "Collections", package: "swift-collections"),
        ]),
        .target(name: "StellantisModels", dependencies: ["VehicleData"]),
        .target(name: "StellantisAPI", dependencies: [
            "StellantisModels",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "MonitorCompiler", dependencies: ["RuleLanguage", "VehicleData", "StellantisModels"]),
        .target(name: "OutcomeStore", dependencies: [
            "VehicleData",
            .product(name: "GRDB", package: "GRDB.swift"),
            // SQLite's C API for the WAL hook (InboxCheckpointer).
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // RuntimeStore on PostgreSQL: several `vigie serve` on one database (docs/cluster.md).
        .target(name: "PostgresStore", dependencies: [
            "OutcomeStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "WebhookServer", dependencies: [
            "StellantisModels", "OutcomeStore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Simulator", dependencies: [
            "StellantisModels", "VehicleData",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // People's channels (webhook, ntfy, Telegram, e-mail over SMTP, ...) and one delivery attempt each.
        .target(name: "Notifications", dependencies: [
            "VehicleData",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The live runtime: configuration, engine loop, dispatcher, poller, guardrails, serve.
        .target(name: "VigieRuntime", dependencies: [
            "VehicleData", "RuleLanguage", "RuleEngine", "StellantisModels", "StellantisAPI",
            "MonitorCompiler", "OutcomeStore", "PostgresStore", "WebhookServer", "Notifications",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The web console on the admin listener (docs/console.md): server-rendered pages, SSE.
        .target(name: "Console", dependencies: [
            "OutcomeStore", "RuleEngine", "RuleLanguage", "VehicleData", "VigieRuntime", "WebhookServer",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "VigieKit", dependencies: [
            "VehicleData", "RuleLanguage", "RuleEngine", "StellantisModels", "StellantisAPI",
            "MonitorCompiler", "OutcomeStore", "WebhookServer", "Simulator", "VigieRuntime", "Console", "Notifications",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `vigie bench`: the benchmarks, with their process I/O (timing, memory, files, HTTP load).
        .target(name: "VigieBench", dependencies: [
            "VigieKit", "VigieRuntime", "Simulator", "WebhookServer", "OutcomeStore", "RuleEngine", "RuleLanguage",
            "VehicleData", "Console",
            "PostgresStore", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .executableTarget(name: "vigie", dependencies: [
            "VigieKit", "VigieBench",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Test-only helpers: locating ../shared, loading the OpenAPI files (as VehicleData's JSONValue), a
        // JSON-Schema subset validator, the seeded generator and fuzz-run plumbing, log capture, the secrets audit.
        .target(name: "VigieTestSupport", dependencies: [
            "VehicleData", "OutcomeStore", "Notifications",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "VehicleDataTests", dependencies: ["VehicleData", "VigieTestSupport"]),
        .testTarget(name: "RuleLanguageTests", dependencies: ["RuleLanguage", "VigieTestSupport"]),
        .testTarget(name: "RuleEngineTests", dependencies: ["RuleEngine", "RuleLanguage", "VigieTestSupport"]),
        .testTarget(name: "VigieBenchTests", dependencies: ["VigieBench", "VigieKit", "OutcomeStore"]),
        .testTarget(name: "MonitorCompilerTests", dependencies: ["MonitorCompiler", "VigieTestSupport"]),
        .testTarget(name: "StellantisAPITests", dependencies: ["StellantisAPI", "Simulator", "VigieTestSupport"]),
        .testTarget(name: "SimulatorTests", dependencies: [
            "Simulator", "VigieTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "OutcomeStoreTests", dependencies: ["OutcomeStore", "VigieTestSupport"]),
        .testTarget(name: "PostgresStoreTests", dependencies: [
            "PostgresStore", "OutcomeStore", "VigieTestSupport", "Console", "RuleEngine", "RuleLanguage", "VigieKit",
            "VigieRuntime",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "VigieCLITests", dependencies: ["VigieKit", "VigieBench", "VigieTestSupport"]),
        .testTarget(name: "VigieRuntimeTests", dependencies: [
            "VigieRuntime", "Simulator", "VigieTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "NotificationsTests", dependencies: [
            "Notifications", "VigieRuntime", "VigieKit", "VigieTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "ConsoleTests", dependencies: [
            "Console", "OutcomeStore", "RuleEngine", "RuleLanguage", "VigieTestSupport", "VigieKit", "VigieRuntime",
            "Simulator",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "WebhookServerTests", dependencies: [
            "WebhookServer", "OutcomeStore", "StellantisModels", "VigieTestSupport", "VigieKit",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
