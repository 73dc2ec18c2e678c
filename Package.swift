// swift-tools-version: 6.1
// Tilsyn: ledelsestilsyn pipeline. Modules are layered with C at the bottom and the CLI on top;
// no module imports one above it.
import PackageDescription

let package = Package(
    name: "Tilsyn",
    products: [
        .executable(name: "tilsyn", targets: ["tilsyn"]),
        .library(name: "TilsynSheets", targets: ["TilsynSheets"]),
        .library(name: "TilsynAudit", targets: ["TilsynAudit"]),
        .library(name: "TilsynStore", targets: ["TilsynStore"]),
        .library(name: "TilsynAnalysis", targets: ["TilsynAnalysis"]),
        .library(name: "TilsynRender", targets: ["TilsynRender"]),
        .library(name: "TilsynSamples", targets: ["TilsynSamples"]),
        .executable(name: "tilsyn-samples", targets: ["tilsyn-samples"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The analyst's Markdown text in the report (tilsyn report --narrative).
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        // The shared store on a PostgreSQL server (--db postgres://…), beside the embedded SQLite default.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C libraries from the system (apt: zlib1g-dev, libxml2-dev, pkg-config).
        // Tilsyn is built for Linux (Glibc, /proc); the C libraries come from Debian's packages.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Spreadsheet layer: ZIP, XLSX and CSV reading and writing. Knows nothing about audits.
        .target(name: "TilsynSheets", dependencies: ["CZlib", "CLibXML2"]),

        // The audit domain: question catalogues, reviewer templates, the udtræk, and the normalisation and
        // validation of returned files (pure Swift, no SQL). Knows spreadsheets only through TilsynSheets; the
        // catalogues themselves are data in Schemas/ at the package root.
        // The content hash of a returned file is SHA-256 from swift-crypto.
        .target(
            name: "TilsynAudit",
            dependencies: ["TilsynSheets", .product(name: "Crypto", package: "swift-crypto")],
            // The shipped catalogues, compiled in from Schemas/ (Sources/TilsynAudit/Schemas links there).
            resources: [.embedInCode("Schemas/catalogues"), .embedInCode("Schemas/catalogue.schema.json")]),

        // The audit store: the common model in SQLite (GRDB), migrations, atomic per-file imports, the counts the
        // aggregations read. The only module that speaks SQL for writing.
        .target(
            name: "TilsynStore",
            dependencies: [
                "TilsynAudit", "TilsynSheets", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C interface, for the statements an import binds by hand: answers and kept counts.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),

        // Analysis over the store: SQL aggregations (compliance by pejlemærke, sagsskridt and round, …), written
        // once for both back ends through the store's SQLRunner.
        .target(name: "TilsynAnalysis", dependencies: ["TilsynStore", "TilsynSheets"]),

        // Rendering: analysis results as tables, CSV, JSON and workbooks; exports and reports for other tools.
        .target(
            name: "TilsynRender",
            dependencies: [
                "TilsynAnalysis", "TilsynStore", "TilsynAudit", "TilsynSheets",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Ink", package: "Ink"),
            ]),

        // Deterministic sample data: case lists and returned workbooks and CSV files in every input shape.
        .target(name: "TilsynSamples", dependencies: ["TilsynAudit", "TilsynSheets"]),
        .executableTarget(
            name: "tilsyn-samples",
            dependencies: [
                "TilsynSamples", "TilsynAudit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The command-line tool: a thin layer over the modules below it.
        .executableTarget(
            name: "tilsyn",
            dependencies: [
                "TilsynSheets", "TilsynAudit", "TilsynStore", "TilsynAnalysis", "TilsynRender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Test support: builders of tiny ZIP/XLSX/CSV inputs, temporary files, CLI runs, corpus paths.
        .target(name: "TilsynTestSupport", dependencies: ["TilsynSheets", "CZlib"], path: "Tests/TilsynTestSupport"),
        .testTarget(
            name: "TilsynSheetsTests",
            dependencies: [
                "TilsynSheets", "TilsynTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            // Read by the tests through #filePath, not bundled.
            exclude: ["Fixtures"]),
        .testTarget(
            name: "TilsynAuditTests",
            dependencies: [
                "TilsynAudit", "TilsynSheets", "TilsynSamples", "TilsynTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "TilsynStoreTests",
            dependencies: [
                "TilsynStore", "TilsynAnalysis", "TilsynAudit", "TilsynSamples", "TilsynTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "TilsynRenderTests",
            dependencies: [
                "TilsynRender", "TilsynAnalysis", "TilsynStore", "TilsynAudit", "TilsynSheets", "TilsynSamples",
                "TilsynTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "TilsynCLITests",
            dependencies: [
                "TilsynTestSupport", "tilsyn", "tilsyn-samples", "TilsynSamples", "TilsynAudit", "TilsynSheets",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
