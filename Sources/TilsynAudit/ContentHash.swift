internal import Crypto

/// The content hash that makes importing the same file twice a no-op: SHA-256 of its bytes (swift-crypto).
public enum ContentHash {
    /// SHA-256 of `bytes` as 64 lower-case hex digits.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(Crypto.SHA256.hash(data: bytes))
    }
}
