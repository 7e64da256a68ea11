import * as net from 'net';

/**
 * A hand-built DICOM upper layer peer for fault tests: it can associate, send a C-STORE command
 * and only part of a dataset, then drop the connection; or send bytes no real SCU would.
 */
function uidItem(type: number, uid: string): Buffer {
  const value = Buffer.from(uid, 'ascii');
  const head = Buffer.alloc(4);
  head.writeUInt8(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value]);
}

function pdu(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(body.length, 2);
  return Buffer.concat([head, body]);
}

function ae(title: string): Buffer {
  return Buffer.from(title.padEnd(16, ' ').slice(0, 16), 'ascii');
}

export function associateRq(
  calling: string,
  called: string,
  sopClass: string,
  transferSyntax: string,
): Buffer {
  const fixed = Buffer.alloc(68);
  fixed.writeUInt16BE(1, 0);
  ae(called).copy(fixed, 4);
  ae(calling).copy(fixed, 20);
  const contextBody = Buffer.concat([
    Buffer.from([1, 0, 0, 0]),
    uidItem(0x30, sopClass),
    uidItem(0x40, transferSyntax),
  ]);
  const context = Buffer.concat([Buffer.from([0x20, 0]), u16be(contextBody.length), contextBody]);
  const maxLength = Buffer.from([0x51, 0, 0, 4, 0, 0, 0x40, 0]);
  const userBody = Buffer.concat([maxLength, uidItem(0x52, '2.25.1')]);
  const user = Buffer.concat([Buffer.from([0x50, 0]), u16be(userBody.length), userBody]);
  return pdu(0x01, Buffer.concat([fixed, uidItem(0x10, '1.2.840.10008.3.1.1.1'), context, user]));
}

function u16be(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
}

export function pData(contextId: number, isCommand: boolean, isLast: boolean, data: Buffer): Buffer {
  const pdv = Buffer.alloc(6);
  pdv.writeUInt32BE(data.length + 2, 0);
  pdv.writeUInt8(contextId, 4);
  pdv.writeUInt8((isCommand ? 1 : 0) | (isLast ? 2 : 0), 5);
  return pdu(0x04, Buffer.concat([pdv, data]));
}

function implicitElement(element: number, value: Buffer, group = 0x0000): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(element, 2);
  head.writeUInt32LE(value.length, 4);
  return Buffer.concat([head, value]);
}

function us(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n, 0);
  return b;
}

function ui(uid: string): Buffer {
  return Buffer.from(uid.length % 2 ? uid + '\0' : uid, 'ascii');
}

/** A command set (implicit VR little endian, as PS3.7 requires): its elements after the group length. */
function commandSet(elements: Buffer[]): Buffer {
  const body = Buffer.concat(elements);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length, 0);
  return Buffer.concat([implicitElement(0x0000, length), body]);
}

/** A C-STORE-RQ command set; an undefined UID is left out. */
export function cStoreCommand(sopClass: string | undefined, sopInstance: string | undefined, messageId = 1): Buffer {
  return commandSet([
    ...(sopClass === undefined ? [] : [implicitElement(0x0002, ui(sopClass))]),
    implicitElement(0x0100, us(0x0001)),
    implicitElement(0x0110, us(messageId)),
    implicitElement(0x0700, us(0)),
    implicitElement(0x0800, us(0x0000)),
    ...(sopInstance === undefined ? [] : [implicitElement(0x1000, ui(sopInstance))]),
  ]);
}

/**
 * A PACS's storage commitment result, "all committed" (N-EVENT-REPORT-RQ, event type 1, PS3.4 J.3.3):
 * its command set, and its data set in implicit VR little endian with the Transaction UID only.
 */
export function commitmentResult(transactionUid: string, messageId = 1): { command: Buffer; dataset: Buffer } {
  const command = commandSet([
    implicitElement(0x0002, ui('1.2.840.10008.1.20.1')),
    implicitElement(0x0100, us(0x0100)),
    implicitElement(0x0110, us(messageId)),
    implicitElement(0x0800, us(0x0000)),
    implicitElement(0x1000, ui('1.2.840.10008.1.20.1.1')),
    implicitElement(0x1002, us(1)),
  ]);
  return { command, dataset: implicitElement(0x1195, ui(transactionUid), 0x0008) };
}

/**
 * A command set without a data set: Affected SOP Class, the Command Field (left out when undefined)
 * and Message ID, as any DIMSE request (or a response no one asked for) starts.
 */
export function dimseCommand(commandField: number | undefined, sopClass: string, messageId = 1): Buffer {
  return commandSet([
    implicitElement(0x0002, ui(sopClass)),
    ...(commandField === undefined ? [] : [implicitElement(0x0100, us(commandField))]),
    implicitElement(0x0110, us(messageId)),
    implicitElement(0x0800, us(0x0101)),
  ]);
}

/** The Command Field, Status and Affected SOP Class of a response command in one P-DATA PDU. */
export function responseCommand(pdu: Buffer): { commandField?: number; status?: number; sopClass?: string } {
  const read: { commandField?: number; status?: number; sopClass?: string } = {};
  if (pdu[0] !== 0x04) return read;
  // PDU header (6), PDV length (4), context id and control header (2): the command set follows.
  for (let at = 12; at + 8 <= pdu.length; ) {
    const element = pdu.readUInt16LE(at + 2);
    const length = pdu.readUInt32LE(at + 4);
    const value = pdu.subarray(at + 8, at + 8 + length);
    if (element === 0x0002) read.sopClass = value.toString('ascii').replace(/\0+$/, '');
    if (element === 0x0100) read.commandField = value.readUInt16LE(0);
    if (element === 0x0900) read.status = value.readUInt16LE(0);
    at += 8 + length;
  }
  return read;
}

/** The Status (0000,0900) of the C-STORE-RSP in a P-DATA PDU, or undefined if it holds none. */
export function responseStatus(pdu: Buffer): number | undefined {
  return responseCommand(pdu).status;
}

/** A-RELEASE-RQ (PS3.8 9.3.6). */
export const RELEASE_RQ = Buffer.from([0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0]);

/** Every PDU received until the peer has been quiet for `quietMs`, cut into whole PDUs. */
export async function pdusUntilQuiet(peer: { nextData(timeoutMs?: number): Promise<Buffer> }, quietMs = 2000): Promise<Buffer[]> {
  const received: Buffer[] = [];
  for (let chunk; (chunk = await peer.nextData(quietMs).catch(() => undefined)); ) received.push(chunk);
  return splitPdus(Buffer.concat(received));
}

/** Received bytes cut into whole PDUs (a trailing partial PDU is left out). */
function splitPdus(bytes: Buffer): Buffer[] {
  const pdus: Buffer[] = [];
  for (let at = 0; at + 6 <= bytes.length; ) {
    const end = at + 6 + bytes.readUInt32BE(at + 2);
    if (end > bytes.length) break;
    pdus.push(bytes.subarray(at, end));
    at = end;
  }
  return pdus;
}

/** Connects and resolves with the socket and a function awaiting the next received bytes. */
export async function connectRaw(
  port: number,
): Promise<{ socket: net.Socket; nextData(timeoutMs?: number): Promise<Buffer> }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const received: Buffer[] = [];
  let waiter: ((b: Buffer) => void) | undefined;
  socket.on('data', (d) => {
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      w(d);
    } else received.push(d);
  });
  return {
    socket,
    nextData(timeoutMs = 5000) {
      const queued = received.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no data from the receiver')), timeoutMs);
        waiter = (b) => {
          clearTimeout(timer);
          resolve(b);
        };
      });
    },
  };
}

/** Resolves once the peer closed the connection (or after timeoutMs with false). */
export function closedWithin(socket: net.Socket, timeoutMs: number): Promise<boolean> {
  if (socket.destroyed || socket.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
