// swift-tools-version: 6.1
// Tilsyn: ledelsestilsyn pipeline. Modules are layered with C at the bottom and the CLI on top;
// no module imports one above it.
import PackageDescription

let package = Package(
    name: "Tilsyn",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tilsyn", targets: ["tilsyn"]),
        .library(name: "TilsynSheets", targets: ["TilsynSheets"]),
        .library(name: "TilsynAudit", targets: ["TilsynAudit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C libraries from the system (apt: zlib1g-dev, libxml2-dev, pkg-config).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),

        // Spreadsheet layer: ZIP, XLSX and CSV reading and writing. Knows nothing about audits.
        .target(name: "TilsynSheets", dependencies: ["CZlib", "CLibXML2"]),

        // The audit domain: question catalogues, reviewer templates, the udtræk. Knows spreadsheets only through
        // TilsynSheets; the catalogues themselves are data in Schemas/ at the package root.
        .target(name: "TilsynAudit", dependencies: ["TilsynSheets"]),

        // The command-line tool: a thin layer over the modules below it.
        .executableTarget(
            name: "tilsyn",
            dependencies: [
                "TilsynSheets", "TilsynAudit",
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
                "TilsynAudit", "TilsynSheets", "TilsynTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "TilsynCLITests",
            dependencies: ["TilsynTestSupport", "TilsynSheets", "tilsyn"]),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
