/// The shipped catalogues and their JSON Schema, compiled into the binary (see `CatalogueStore`).
///
/// The bytes are `Schemas/catalogues/*.json` and `Schemas/catalogue.schema.json` themselves, embedded by SwiftPM at
/// build time (`embedInCode` resources, reached through the link `Sources/TilsynAudit/Schemas` → `Schemas/`), so the
/// data has one home and a copied binary needs no files beside it. A new catalogue file gets a line here; the test
/// `theBuiltInCataloguesAreTheFilesInSchemas` fails until it has one.
enum BuiltInCatalogues {
    /// Each shipped catalogue's JSON, by id, as in `Schemas/catalogues/<id>.json`.
    static let files: [(id: String, json: String)] = [
        ("kk-2025", text(PackageResources.kk_2025_json)),
        ("sbs-overordnet", text(PackageResources.sbs_overordnet_json)),
        ("sbs-tematiseret", text(PackageResources.sbs_tematiseret_json)),
    ]

    /// The JSON Schema the catalogues follow, as in `Schemas/catalogue.schema.json`.
    static let schema = text(PackageResources.catalogue_schema_json)

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
