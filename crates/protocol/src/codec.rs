//! Messages between the page and its Parquet codec worker: a second, small worker the page
//! starts the first time it meets Parquet (an upload, a Parquet download), so that the engine
//! worker carries no Parquet code. The engine reads and writes Arrow IPC files; the codec
//! turns Parquet into Arrow IPC and back.
//!
//! On the wire as the engine's messages: one JSON text, the file's bytes beside it as one
//! transferable buffer. The codec posts [`CodecReply::Ready`] with id 0 once its module runs.
//!
//! # Examples
//! ```
//! use protocol::{CodecRequest, ToCodec, decode, encode};
//! let message = ToCodec { id: 3, request: CodecRequest::Decode { name: "a.parquet".into() } };
//! assert_eq!(decode::<ToCodec>(&encode(&message)).unwrap(), message);
//! ```

use serde::{Deserialize, Serialize};

use crate::Problem;
use crate::workspace_file::ZipEntry;

/// A message from the page to the codec worker; the bytes to convert travel beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToCodec {
    /// Chosen by the page, increasing; the reply carries it back.
    pub id: u64,
    /// What to convert.
    pub request: CodecRequest,
}

/// What the page asks of the codec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodecRequest {
    /// Decode the Parquet file beside the message into one Arrow IPC file. Answered by
    /// [`CodecReply::Converted`], or [`CodecReply::Error`] ("`<name>` is not a Parquet file: …").
    Decode {
        /// The file's name, for the sentence when it is not Parquet.
        name: String,
    },
    /// Encode the Arrow IPC file beside the message as Parquet. Answered by
    /// [`CodecReply::Converted`].
    Encode {
        /// The file's name, for messages.
        name: String,
    },
    /// Write one zip of these entries (their bytes beside the message, concatenated; an
    /// entry marked `to_parquet` is an Arrow IPC file stored as Parquet). Answered by
    /// [`CodecReply::Converted`] with the zip.
    Zip {
        /// The files, in order.
        entries: Vec<ZipEntry>,
    },
    /// Read the zip beside the message. Answered by [`CodecReply::Unzipped`], or
    /// [`CodecReply::Error`] for a file that is not a zip or unpacks to more than
    /// [`crate::workspace_file::MAX_UNZIPPED_BYTES`].
    Unzip {
        /// The file's name, for messages.
        name: String,
    },
}

/// A message from the codec worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FromCodec {
    /// The id of the request this answers; 0 for [`CodecReply::Ready`].
    pub id: u64,
    /// The answer.
    pub reply: CodecReply,
}

/// What the codec answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodecReply {
    /// The codec's module runs; sent once, with id 0.
    Ready {
        /// [`crate::PROTOCOL_VERSION`] of the codec.
        protocol: u32,
    },
    /// The converted file travels beside the message.
    Converted,
    /// The zip's files (not its folders), their bytes beside the message, concatenated.
    Unzipped {
        /// The files, in the zip's order.
        entries: Vec<ZipEntry>,
    },
    /// The file could not be converted.
    Error(Problem),
}
