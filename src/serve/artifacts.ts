// serve's GitRepository artifacts: each one the automations read is downloaded, verified and
// scanned once per URL and digest, in the background; an evaluation uses what has been read so far,
// and one more evaluation follows when a read completes. A new digest replaces the old scans;
// a GitRepository no automation reads any more is forgotten.

import type { KubeReader } from '../adapters/kube.js'
import { type ArtifactScans, artifactLookup, artifactsWanted, readOne } from '../cli/markers-outcome.js'
import { artifactOf } from '../adapters/artifact.js'
import { ref, type Snapshot } from '../core/doctor/snapshot.js'
import type { ToolError } from '../core/findings/types.js'
import type { ArtifactMarkers } from './evaluation.js'

interface Held {
  /** The artifact's URL and digest. */
  id: string
  paths: string
  /** undefined while the read runs. */
  scans?: ArtifactScans
}

export class ArtifactCache {
  private readonly held = new Map<string, Held>()

  constructor(
    private readonly kube: KubeReader,
    private readonly fluxNamespace: string,
    /** Called when a read completes, so the cluster is evaluated again. */
    private readonly done: (error?: ToolError) => void,
  ) {}

  /** Starts the reads the snapshot needs and returns what is held now. */
  markers(s: Snapshot): ArtifactMarkers {
    const wanted = artifactsWanted(s)
    for (const key of this.held.keys()) if (!wanted.has(key)) this.held.delete(key)
    for (const [key, { git, paths }] of wanted) {
      const art = artifactOf(git)
      if (!('artifact' in art)) continue
      const held = this.held.get(key)
      const id = `${art.artifact.url} ${art.artifact.digest}`
      const pathList = [...paths].map((p) => p ?? '').sort().join('\0')
      if (held?.id === id && held.paths === pathList) continue
      const entry: Held = { id, paths: pathList }
      this.held.set(key, entry)
      void readOne(this.kube, this.fluxNamespace, git, [...paths]).then(
        (scans) => {
          if (this.held.get(key) !== entry) return
          entry.scans = scans
          this.done(scans instanceof Map ? undefined : scans)
        },
        (e: Error) => {
          entry.scans = { code: 'ERR_ARTIFACT', message: `artifact of GitRepository ${key}: ${e.message}` }
          this.done(entry.scans)
        },
      )
    }
    const errors = [...this.held.values()].flatMap((h) => (h.scans !== undefined && !(h.scans instanceof Map) ? [h.scans] : []))
    return { lookup: artifactLookup(s, (git) => this.held.get(ref(git))?.scans), errors }
  }
}
