// swift-tools-version: 6.1
// libFuzzer targets for Tilsyn's readers. A separate package so that the main package's build and test suite
// never need the fuzzer flags; `Tests/Fuzz/run` builds it with `-sanitize=fuzzer,address` and runs the targets.
import PackageDescription

/// Each target feeds one reader; the name after `fuzz-` is what `Fuzz/run TARGET` takes.
let targets = [
    "zip", "workbook-part", "relationships", "shared-strings", "styles", "worksheet", "workbook", "csv", "ods-content", "ods",
]

let package = Package(
    name: "TilsynFuzz",
    dependencies: [
        .package(name: "Tilsyn", path: "../..")
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver, which the executables call from their own main.
        .target(name: "CFuzzerDriver"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzerDriver", .product(name: "TilsynSheets", package: "Tilsyn")]),
    ]
        + targets.map { name in
            .executableTarget(name: "fuzz-\(name)", dependencies: ["FuzzSupport", .product(name: "TilsynSheets", package: "Tilsyn")])
        }
)
