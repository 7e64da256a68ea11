/**
 * Who we are on the wire and in the files we write (A-ASSOCIATE-AC and file meta 0002,0012/0013).
 * The class UID is a UUID-derived UID (PS3.5 §B.2), fixed for this implementation.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.264357226578429999500168353774921595209';
export const IMPLEMENTATION_VERSION_NAME = 'MAMMOCAD_0.1';
