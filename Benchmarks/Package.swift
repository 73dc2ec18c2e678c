// swift-tools-version: 6.1
// Benchmark executables for Tilsyn. A separate package so that the main package's build and
// test suite never carry timing code; `Benchmarks/run` builds it in release mode.
import PackageDescription

let package = Package(
    name: "TilsynBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Tilsyn", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "tilsyn-bench",
            dependencies: [
                .product(name: "TilsynSheets", package: "Tilsyn"), .product(name: "TilsynAudit", package: "Tilsyn"),
                .product(name: "TilsynStore", package: "Tilsyn"), .product(name: "TilsynSamples", package: "Tilsyn"),
            ])
    ]
)
