//! A point on the map where an issue was seen (WGS-84 degrees, as a phone's GPS gives it).
//!
//! Coordinates are rounded to 6 decimals (about 0.1 m): finer digits are GPS noise, and
//! rounding makes a location survive a round trip through JSON bit for bit, so replicas
//! that exchange it never see a spurious change.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A checked latitude/longitude pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawLocation")]
pub struct Location {
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct RawLocation {
    lat: f64,
    lon: f64,
}

impl Location {
    /// Latitude must lie in -90..=90 and longitude in -180..=180 (NaN is refused);
    /// both are rounded to 6 decimals.
    pub fn parse(lat: f64, lon: f64) -> Result<Location, DomainError> {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(DomainError::LatitudeOutOfRange { value: lat });
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(DomainError::LongitudeOutOfRange { value: lon });
        }
        Ok(Location { lat: micro(lat), lon: micro(lon) })
    }

    /// Degrees north.
    pub fn lat(self) -> f64 {
        self.lat
    }

    /// Degrees east.
    pub fn lon(self) -> f64 {
        self.lon
    }
}

fn micro(degrees: f64) -> f64 {
    (degrees * 1e6).round() / 1e6
}

impl TryFrom<RawLocation> for Location {
    type Error = DomainError;
    fn try_from(raw: RawLocation) -> Result<Self, Self::Error> {
        Location::parse(raw.lat, raw.lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_in_qijiang_is_accepted() {
        let l = Location::parse(29.028, 106.651).unwrap();
        assert_eq!((l.lat(), l.lon()), (29.028, 106.651));
    }

    #[test]
    fn out_of_range_or_nan_coordinates_are_rejected() {
        assert_eq!(Location::parse(90.5, 0.0).unwrap_err().code(), "latitude_out_of_range");
        assert_eq!(Location::parse(0.0, -180.1).unwrap_err().code(), "longitude_out_of_range");
        assert!(Location::parse(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn coordinates_are_rounded_to_six_decimals_and_survive_json() {
        let l = Location::parse(29.123_456_789, 106.000_000_4).unwrap();
        assert_eq!((l.lat(), l.lon()), (29.123_457, 106.0));
        for i in 0..1000 {
            let l = Location::parse(29.0 + f64::from(i) * 0.000_123_7, 106.651).unwrap();
            let back: Location = serde_json::from_str(&serde_json::to_string(&l).unwrap()).unwrap();
            assert_eq!(back, l);
        }
    }

    #[test]
    fn a_location_deserialises_through_parse() {
        assert!(serde_json::from_str::<Location>(r#"{"lat":29.0,"lon":106.6}"#).is_ok());
        assert!(serde_json::from_str::<Location>(r#"{"lat":99.0,"lon":106.6}"#).is_err());
    }
}
