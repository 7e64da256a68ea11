import { z } from 'zod';
import { isAuditRepository } from '../audit/auditRepository';
import { DEFAULT_NOT_ANALYSED_IMAGE_TYPES } from '../dicom/imageTypePolicy';

/** A DICOM AE title: 1-16 characters of the default repertoire, no backslash, not all spaces. */
export const aeTitle = z
  .string()
  .regex(/^[\x20-\x5b\x5d-\x7e]{1,16}$/, 'an AE title of 1-16 printable ASCII characters without backslash')
  .refine((s) => s.trim().length > 0, 'an AE title that is not blank');

/** Which of our objects go to a destination. */
const destinationObjects = z.array(z.enum(['mammoCadSr', 'tid1500Sr', 'gsps'])).default(['mammoCadSr', 'tid1500Sr', 'gsps']);

/** A DICOM peer reached by C-STORE. */
export const dimseDestinationSchema = z.strictObject({
  aeTitle,
  host: z.string().min(1, 'a host name or address'),
  port: z.number().int().min(1).max(65535),
  objects: destinationObjects,
  tls: z.boolean().default(false),
  /** Ask the destination for Storage Commitment (Push Model) once it has a build's objects; it answers on our receiver, so it must know our AE title, host and dicomPort. */
  storageCommitment: z.boolean().default(false),
});

/**
 * A DICOMweb service reached by STOW-RS (cloud archives speak nothing else): its base URL, to which
 * `/studies` is added. Credentials never sit in the URL or the file: `authorizationEnv` names the
 * environment variable holding the whole Authorization header value (`Bearer …`, `Basic …`).
 */
export const stowDestinationSchema = z.strictObject({
  url: z
    .string()
    .url('a URL')
    .refine((u) => /^https?:\/\//.test(u), 'an http:// or https:// URL')
    .refine((u) => !new URL(u).username && !new URL(u).password, 'a URL without credentials (use authorizationEnv)'),
  objects: destinationObjects,
  authorizationEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').optional(),
});

export const destinationSchema = z.union([dimseDestinationSchema, stowDestinationSchema]);
export type DimseDestination = z.infer<typeof dimseDestinationSchema>;
export type StowDestination = z.infer<typeof stowDestinationSchema>;
export type Destination = z.infer<typeof destinationSchema>;

const sopClassUid = z.string().regex(/^[0-9.]{1,64}$/, 'a SOP Class UID (digits and dots)');

export const configSchema = z.strictObject({
  aeTitle: aeTitle.default('MAMMOCAD'),
  dicomPort: z.number().int().min(0).max(65535).default(11112),
  httpPort: z.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().min(1).default('./var'),
  /** Empty: start an embedded redis-server under dataDir. */
  redisUrl: z.string().default(''),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  /** A process whose event loop has not turned for this long is ended, so its supervisor restarts it (a step that never returns); 0: never. Legitimate synchronous steps take seconds (a 4096 × 3328 JPEG 2000 decode in WASM: about 2 s). */
  eventLoopWatchdogSeconds: z.number().min(0).default(300),

  receiver: z
    .strictObject({
      /** Empty: any calling AE. */
      allowedCallingAes: z.array(aeTitle).default([]),
      /** Empty: any source address. */
      allowedSourceAddresses: z.array(z.string()).default([]),
      maxAssociations: z.number().int().min(1).default(16),
      /** Refuse new associations (transient) when free space in dataDir falls below this. */
      minFreeDiskMb: z.number().int().min(0).default(1024),
      /** Stored and queued for analysis. */
      analysedSopClasses: z
        .array(sopClassUid)
        .default(['1.2.840.10008.5.1.4.1.1.1.2', '1.2.840.10008.5.1.4.1.1.1.2.1']),
      /** Accepted and acknowledged without analysis (so an auto-routed study does not fail). */
      acknowledgedSopClasses: z.array(sopClassUid).default([
        '1.2.840.10008.5.1.4.1.1.88.67', // X-Ray Radiation Dose SR
        '1.2.840.10008.5.1.4.1.1.7', // Secondary Capture
        '1.2.840.10008.5.1.4.1.1.13.1.3', // Breast Tomosynthesis Image
        '1.2.840.10008.5.1.4.1.1.13.1.4', // Breast Projection X-Ray Image For Presentation
        '1.2.840.10008.5.1.4.1.1.13.1.5', // Breast Projection X-Ray Image For Processing
        '1.2.840.10008.5.1.4.1.1.1.3', // Digital Intra-Oral X-Ray (misrouted, harmless)
        '1.2.840.10008.5.1.4.1.1.1.1', // Digital X-Ray Image For Presentation
        '1.2.840.10008.5.1.4.1.1.11.1', // Grayscale Softcopy Presentation State
        '1.2.840.10008.5.1.4.1.1.88.50', // Mammography CAD SR (another CAD's)
        '1.2.840.10008.5.1.4.1.1.88.33', // Comprehensive SR
      ]),
      /**
       * Images of an analysed SOP class whose Image Type holds one of these terms (from Value 3 on) are
       * acknowledged without analysis: stereotactic biopsy, tomosynthesis projections and generated 2D
       * (synthesized) images, contrast-enhanced recombined and high-energy images (PS3.3 C.8.11.7.1.4).
       * Remove a term only after judging the models on such images (npm run eval). Empty: analyse every image.
       */
      notAnalysedImageTypes: z
        .array(z.string().regex(/^[A-Z0-9_]{1,16}$/, 'an Image Type term: capitals, digits and _, at most 16'))
        .default([...DEFAULT_NOT_ANALYSED_IMAGE_TYPES]),
      /** Analyse images whose Quality Control Image (0028,0300) is YES: a unit's phantom or calibration images. Off: they are acknowledged without analysis like the Image Types above (a QC study gets no CAD objects, and the phantom's test objects no marks); BOTH (a patient and QC material) is always analysed. On: for a physicist checking the node with a phantom. */
      analyseQualityControlImages: z.boolean().default(false),
      /** Keep acknowledged-only objects on disk (off: answer Success and discard). */
      keepAcknowledged: z.boolean().default(false),
      associationIdleSeconds: z.number().min(1).default(60),
      shutdownGraceSeconds: z.number().min(0).default(20),
    })
    .default({}),

  pipeline: z
    .strictObject({
      settleSeconds: z.number().min(0).default(10),
      attempts: z.number().int().min(1).default(5),
      backoffMs: z.number().int().min(1).default(2000),
      /** A job whose worker died is handed to another worker after about this long. */
      stalledSeconds: z.number().min(1).default(30),
    })
    .default({}),

  imaging: z
    .strictObject({
      /** Working pixel spacing of the models, mm. */
      workingSpacingMm: z.number().positive().default(0.07),
      /** Used when an image carries no spacing at all (no Pixel, Imager or Nominal Scanned Pixel Spacing, and not a digitised film whose Spatial Resolution is a plausible sampling): its findings record it and the worker logs a warning, naming the size when the image would be larger than any film. */
      defaultSpacingMm: z.number().positive().default(0.1),
      /** JPEG 2000 decoder. auto: OpenJPEG's opj_decompress (Debian package libopenjp2-tools) where it is on the PATH, native and on every core (a 4096 x 3328 lossless image in about half the time on 2 cores, and off the event loop); else the bundled WASM OpenJPEG. wasm: always the bundled one. Both give the same pixels. */
      jpeg2000Decoder: z.enum(['auto', 'wasm']).default('auto'),
      /** Analyse views with a breast implant in the field (Breast Implant Present YES, no Implant Displaced view modifier). Off: such an image is recorded as not analysed, with the reason, and its study is reported on its other images; implant-displaced (Eklund) views are always analysed. On: analysed with the implant left out of the breast. The models were not trained or judged on implants: beside a synthetic implant drawn into the real FFDM sample views they found 0.37 of the clusters inserted in the tissue, 0.47 with the implant left out, against 0.54 without an implant (models/HISTORY.md, "implant views"). Turn it on only after judging the models on the site's own implant views (npm run eval). */
      analyseImplantViews: z.boolean().default(false),
    })
    .default({}),

  inference: z
    .strictObject({
      executionProvider: z.enum(['cpu', 'cuda', 'webgpu']).default('cpu'),
      modelDir: z.string().default('models'),
      threads: z.number().int().min(0).default(0),
      /** Longest one image's inference may take before it is given up and retried on a new inference worker (a hung driver or GPU); an image takes about 1.5 s on 2 CPU cores. */
      runTimeoutSeconds: z.number().min(1).default(120),
      /** Clusters at or above this probability of cancer are "Presentation Required". */
      operatingPoint: z
        .number()
        .min(0)
        .max(1)
        // The SR's CAD operating points are whole percents (TID 4023, 1..100).
        .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, 'must be a whole percent (steps of 0.01)')
        .default(0.3),
      /** Fewest calcifications that make a cluster on digital images; unset: the size the committed reducer was fitted on (2 since 0.3.14: a cluster whose other specks are too faint still shows as a pair of separate specks, and since 0.3.15 one blob split in two is not a pair; BI-RADS asks for 3 in older texts, 5 in the 5th edition; models/HISTORY.md, "0.3.14"). Digitised film has its own, clusterMinSpecksCoarse. */
      clusterMinSpecks: z.number().int().min(2).optional(),
      /** clusterMinSpecks for images whose original pixels are coarser than 0.15 mm (digitised film); unset: 3, the size the film reducer was fitted on. Pairs of film grain blobs look like pairs of specks: with 2, about four times the false clusters on real film (models/HISTORY.md, "pairs of specks"). */
      clusterMinSpecksCoarse: z.number().int().min(2).optional(),
      /** Candidate clusters whose false-positive-reducer probability (the reported detection score) is below this are not reported; unset: the floor the committed reducer was chosen with (models/README.md: 0.33 since 0.3.21, where the reducer blended with the speck stage passes as many false clusters per image on synthetic studies as the reducer alone did at 0.407 (0.3.15-0.3.20), which put at most 0.25 false clusters per image on real film tissue; 0.32 in 0.3.9-0.3.11 and 0.3.13). A lower floor reports more clusters with more false ones. Digitised film has its own floor, clusterFloorCoarse. */
      clusterFloor: z.number().min(0).max(1).optional(),
      /** clusterFloor for images whose original pixels are coarser than 0.15 mm (digitised film at 200 µm), which have a reducer of their own, fitted on film tissue; unset: the floor that reducer was chosen with (0.456 since 0.3.13, at the knee of the film-tissue validation curve within 0.25 false clusters per image). */
      clusterFloorCoarse: z.number().min(0).max(1).optional(),
    })
    .default({}),

  worker: z
    .strictObject({
      concurrency: z.number().int().min(1).default(1),
    })
    .default({}),

  export: z
    .strictObject({
      destinations: z.array(destinationSchema).default([]),
      /** Also send the objects back to the AE that sent the study (needs that AE in knownAes). */
      replyToSender: z.boolean().default(false),
      /** AE title → host:port, for replyToSender. */
      knownAes: z.record(z.string(), z.strictObject({ host: z.string(), port: z.number().int() })).default({}),
      callingAeTitle: aeTitle.optional(),
      /** Longest silence tolerated from a destination (connect, negotiation, each response). */
      timeoutSeconds: z.number().min(1).default(30),
      /** A storage commitment request without a result after this long marks the study exportFailed (the PACS cannot reach our receiver, or lost the request). */
      commitmentTimeoutHours: z.number().positive().default(24),
      /** Retries of one object to one destination: the delay doubles from firstDelaySeconds up to maxDelaySeconds; with the defaults an export keeps trying for about 6 h (a PACS restart or a night's maintenance), then it is dead-lettered and the study marked exportFailed. */
      retry: z
        .strictObject({
          /** Attempts of one export before it is dead-lettered. */
          attempts: z.number().int().min(1).default(30),
          /** Delay after the first failed attempt; it doubles with each further one. */
          firstDelaySeconds: z.number().positive().default(10),
          /** Longest delay between two attempts: how soon after a PACS comes back the objects arrive. */
          maxDelaySeconds: z.number().positive().default(900),
        })
        .default({}),
    })
    .default({}),

  report: z
    .strictObject({
      /** Rendering intent of each calcification inside a cluster in the Mammography CAD SR (TID 4000's "Individual Calcification"): optional (a workstation may show them), required, notForPresentation, or omit (left out). Clusters follow inference.operatingPoint. */
      individualCalcifications: z.enum(['optional', 'required', 'notForPresentation', 'omit']).default('optional'),
    })
    .default({}),

  http: z
    .strictObject({
      /** Bearer token for everything but /healthz; empty: no auth. */
      token: z.string().default(''),
      /** Named users (one `name:scrypt:salt:hash` line each, written by `mammocad http-user add`): HTTP Basic with their own password, named in the audit trail; empty: none. */
      usersFile: z.string().default(''),
      /** Serve HTTPS with tls.certFile and tls.keyFile (renewed files are taken within a minute); off: plain HTTP. */
      tls: z.boolean().default(false),
    })
    .default({}),

  audit: z
    .strictObject({
      /** Audit Record Repository (IHE ATNA, DICOM PS3.15 A.5-A.7): udp://host:514, tls://host:6514 (RFC 5425, with tls.certFile/keyFile/caFile) or tcp://host:port; empty: no audit messages. */
      repository: z
        .string()
        .default('')
        .refine((v) => v === '' || isAuditRepository(v), 'udp://host:port, tcp://host:port or tls://host:port'),
      /** AuditSourceID of our messages; empty: the AE title. */
      sourceId: z.string().default(''),
      /** AuditEnterpriseSiteID: the hospital or site, as the repository groups sources. */
      enterpriseSiteId: z.string().default(''),
    })
    .default({}),

  tls: z
    .strictObject({
      enabled: z.boolean().default(false),
      certFile: z.string().default(''),
      keyFile: z.string().default(''),
      caFile: z.string().default(''),
    })
    .default({}),
});

export type Config = z.infer<typeof configSchema>;
