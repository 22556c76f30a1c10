//! Factories, models and the device → factory/model mapping by Spark's `hash()` (§1.3).

/// The five factories, in the order the original indexes them.
pub const FACTORIES: [&str; 5] = ["A06", "D18", "J15", "C04", "T10"];

/// The fourteen models, in the order the original indexes them.
pub const MODELS: [&str; 14] = [
    "SkyJet134",
    "SkyJet234",
    "SkyJet334",
    "EcoJet1000",
    "JetLift7000",
    "EcoJet2000",
    "FlyForceX550",
    "TurboFan3200",
    "SkyBolt1",
    "SkyBolt2",
    "MightyWing1100",
    "EcoJet3000",
    "AeroGlider4150",
    "SkyBolt250",
];

/// Seed of Spark SQL's `hash()` function.
const SPARK_HASH_SEED: u32 = 42;

/// Spark SQL's `hash(int)`: MurmurHash3 x86_32 with seed 42 over the 4-byte integer.
///
/// # Examples
/// ```
/// // The test vector of the spec (§1.3).
/// assert_eq!(datagen::spark_hash_int(1), -559_580_957);
/// ```
#[must_use]
pub fn spark_hash_int(value: i32) -> i32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mut k = value as u32;
    k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    let mut h = SPARK_HASH_SEED ^ k;
    h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    // Finalisation with the input length (4 bytes).
    h ^= 4;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as i32
}

/// Index into a list of `len` names the way the original does:
/// `abs(hash(id) % len)`, with `%` keeping the sign of the dividend.
fn hashed_index(device_id: u32, len: usize) -> usize {
    // Device ids are small positive integers; Spark hashes them as a 32-bit int.
    let h = spark_hash_int(device_id as i32);
    (h % len as i32).unsigned_abs() as usize
}

/// The factory of a device (§1.3), e.g. device 1 → `J15`.
///
/// # Examples
/// ```
/// assert_eq!(datagen::factory_of(1), "J15");
/// assert_eq!(datagen::factory_of(22), "A06");
/// ```
#[must_use]
pub fn factory_of(device_id: u32) -> &'static str {
    FACTORIES[hashed_index(device_id, FACTORIES.len())]
}

/// The model of a device (§1.3), e.g. device 1 → `EcoJet2000`.
///
/// # Examples
/// ```
/// assert_eq!(datagen::model_of(1), "EcoJet2000");
/// assert_eq!(datagen::model_of(26), "SkyJet234");
/// ```
#[must_use]
pub fn model_of(device_id: u32) -> &'static str {
    MODELS[hashed_index(device_id, MODELS.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's table of §1.3 ("verified with Spark"), id → (factory, model).
    const SPEC_TABLE: [(u32, &str, &str); 62] = [
        (1, "J15", "EcoJet2000"),
        (2, "T10", "AeroGlider4150"),
        (3, "T10", "EcoJet1000"),
        (4, "C04", "FlyForceX550"),
        (5, "D18", "AeroGlider4150"),
        (6, "D18", "EcoJet1000"),
        (7, "J15", "SkyBolt2"),
        (8, "J15", "SkyBolt250"),
        (9, "D18", "EcoJet3000"),
        (10, "C04", "SkyJet334"),
        (11, "C04", "SkyBolt250"),
        (12, "D18", "SkyJet134"),
        (13, "J15", "SkyBolt1"),
        (14, "C04", "AeroGlider4150"),
        (15, "C04", "EcoJet1000"),
        (16, "T10", "SkyBolt2"),
        (17, "D18", "EcoJet3000"),
        (18, "C04", "AeroGlider4150"),
        (19, "D18", "EcoJet3000"),
        (20, "J15", "SkyBolt250"),
        (21, "C04", "EcoJet3000"),
        (22, "A06", "FlyForceX550"),
        (23, "A06", "EcoJet1000"),
        (24, "A06", "TurboFan3200"),
        (25, "J15", "FlyForceX550"),
        (26, "D18", "SkyJet234"),
        (27, "D18", "SkyBolt250"),
        (28, "D18", "JetLift7000"),
        (29, "T10", "EcoJet2000"),
        (30, "D18", "EcoJet1000"),
        (31, "J15", "SkyBolt1"),
        (32, "A06", "FlyForceX550"),
        (33, "C04", "EcoJet1000"),
        (34, "T10", "EcoJet3000"),
        (35, "A06", "SkyBolt250"),
        (36, "C04", "SkyJet134"),
        (37, "D18", "FlyForceX550"),
        (38, "J15", "FlyForceX550"),
        (39, "A06", "EcoJet2000"),
        (40, "C04", "SkyBolt250"),
        (41, "A06", "EcoJet1000"),
        (42, "C04", "TurboFan3200"),
        (43, "C04", "SkyBolt2"),
        (44, "D18", "EcoJet1000"),
        (45, "D18", "SkyJet334"),
        (46, "T10", "FlyForceX550"),
        (47, "A06", "EcoJet2000"),
        (48, "A06", "SkyBolt2"),
        (49, "D18", "SkyJet134"),
        (50, "T10", "SkyJet134"),
        (51, "J15", "SkyBolt2"),
        (52, "D18", "MightyWing1100"),
        (53, "A06", "SkyBolt2"),
        (54, "D18", "SkyBolt2"),
        (55, "J15", "FlyForceX550"),
        (56, "T10", "SkyJet134"),
        (57, "J15", "AeroGlider4150"),
        (58, "C04", "FlyForceX550"),
        (59, "C04", "JetLift7000"),
        (60, "A06", "JetLift7000"),
        (61, "A06", "SkyBolt250"),
        (62, "C04", "TurboFan3200"),
    ];

    #[test]
    fn test_spark_hash_int_vector() {
        assert_eq!(spark_hash_int(1), -559_580_957);
    }

    #[test]
    fn test_mapping_matches_spec_table() {
        for (id, factory, model) in SPEC_TABLE {
            assert_eq!(
                (factory_of(id), model_of(id)),
                (factory, model),
                "device {id}"
            );
        }
    }

    #[test]
    fn test_rare_models_only_on_spec_devices() {
        let with = |model: &str| {
            (1..=62)
                .filter(|&d| model_of(d) == model)
                .collect::<Vec<_>>()
        };
        assert_eq!(with("SkyJet234"), vec![26]);
        assert_eq!(with("SkyJet334"), vec![10, 45]);
    }
}
