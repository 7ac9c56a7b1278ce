// Git failures, classified from the message first: what image-automation-controller and
// source-controller put in Ready, from fluxcd/pkg (gogit), go-git v5, golang.org/x/crypto/ssh
// and, through go-git's `unknown error: <first stderr line>` and `command error on <ref>:
// <status>`, the forges' own words. Older controllers (libgit2, before Flux 2.0) had other
// wordings; those users still paste are listed too. The first family that matches wins, so the
// specific ones (a read-only key) come before the general ones (SSH auth).

import type { FindingCodeId } from '../findings/catalogue.js'

export interface MessageFamily {
  code: FindingCodeId
  /** What the message shows, for the finding's text. */
  cause: string
  pattern: RegExp
}

export const GIT_FAMILIES: readonly MessageFamily[] = [
  // Stalled or set-up errors that name their own field. The gate: for a GitRepository with
  // spec.serviceAccountName, image-automation-controller v1.0 and source-controller v1.7 (both
  // Flux 2.7) stall FeatureGateDisabled with the same words.
  { code: 'FIA457', cause: 'spec.serviceAccountName needs the ObjectLevelWorkloadIdentity feature gate', pattern: /enable the ObjectLevelWorkloadIdentity feature gate/ },
  { code: 'FIA503', cause: 'the message template uses a field removed in the v1 API', pattern: /template uses removed '\.(Updated|Changed\.ImageResult)' field|can't evaluate field (Updated|ImageResult) in type/ },
  { code: 'FIA447', cause: 'the commit message template fails', pattern: /unable to create commit message template from spec|failed to run template from spec/ },
  { code: 'FIA448', cause: 'the signing key cannot be used', pattern: /signing key secret|could not read signing key|could not find signing key|unknown signing key type|passphrase protected signing key|could not decrypt private key of the signing key|could not parse SSH signing key|multiple entities read from secret/ },
  { code: 'FIA438', cause: 'no push branch can be inferred', pattern: /push spec not provided/i },
  { code: 'FIA340', cause: "a policy's pick is not a valid image reference", pattern: /encountered invalid image ref/ },
  // Flux's walk over update.path (internal/update/filereader.go, unchanged v0.38–v1.2): Go's
  // filepath.Walk reports the root's lstat, a directory's open, and its own read of a file.
  // Only the errno tells a missing path from an unreadable checkout; any other walk error is
  // left unclassified rather than guessed.
  { code: 'FIA341', cause: 'update.path does not exist in the checkout', pattern: /walking path for files: (lstat|open|stat) .*: (no such file or directory|not a directory|too many levels of symbolic links)/ },
  { code: 'FIA455', cause: 'the controller may not read its own checkout', pattern: /(walking path for files|reading YAML file): (lstat|open|stat|read) .*: (permission denied|operation not permitted)/ },
  // Push refused by the forge: repository rules before protected branches (GH013 says both).
  {
    code: 'FIA441',
    cause: "the forge's repository rules refuse the push",
    pattern: /repository rule violations|GH013|Commits must have verified signatures|must have a verified signature|commit signature(s)? (is|are) required|Changes must be made through a pull request|required status checks? .*(expected|fail)|push rejected by (a )?ruleset/i,
  },
  {
    code: 'FIA435',
    cause: 'a protected branch refuses the push',
    pattern: /protected branch hook declined|GH006|Protected branch update failed|You are not allowed to push code to protected branches|TF402455|Pushes to this branch are not permitted|can only be modified through pull requests|pre-receive hook declined|hook declined/i,
  },
  // Write access: a read-only deploy key (in every wording, including the bare remote: GitHub
  // sent before it said why), or a token without write scope.
  {
    code: 'FIA434',
    cause: 'the key or token may read but not push',
    pattern:
      /marked as read only|read[- ]only deploy key|deploy key .*(read[- ]only|does not have write)|unknown error: remote: *$|authorization failed|Write access to repository not granted|Permission to \S+ denied to|You are not allowed to push code to this project|TF401027|GenericContribute|does not have permissions? to push|not authorized to push|insufficient permission|early EOF \(the SSH key may not have write access/i,
  },
  {
    code: 'FIA436',
    cause: 'the push was not a fast-forward',
    pattern: /non-fast-forward|non-fastforwardable|contains commits that are not present locally|\(fetch first\)|Updates were rejected because the (tip|remote)/i,
  },
  // Checkout: the ref the automation or GitRepository asks for.
  {
    code: 'FIA437',
    cause: 'the ref to check out does not exist',
    pattern: /couldn't find remote ref|reference not found|unable to resolve HEAD of branch|unable to find reference for tag|no match found for semver|unable to resolve (commit object|ref '[^']*' to a specific commit)|Remote branch \S+ not found/i,
  },
  // SSH: host keys, then the key being refused, then the key being unusable.
  {
    code: 'FIA442',
    cause: "the host's SSH key does not match known_hosts",
    pattern: /knownhosts: key (mismatch|is unknown)|host ?key (mismatch|verification failed|could not be verified|is not trusted|not verified)|hostkey (could not be verified|verification failed)|REMOTE HOST IDENTIFICATION HAS CHANGED|no known_hosts|known_hosts.*(missing|not found|empty)/i,
  },
  {
    code: 'FIA444',
    cause: 'the SSH key in the Secret cannot be used',
    pattern: /ssh: no key found|ssh: this private key is passphrase protected|not an encrypted key|x509: decryption password incorrect|ssh: unsupported key type|unknown key type|ssh: cannot decode|failed to parse (the )?(private )?key|invalid private key|asn1: structure error/i,
  },
  {
    code: 'FIA443',
    cause: 'the Git host refuses the SSH key',
    pattern: /unable to authenticate, attempted methods|no supported methods remain|Permission denied \(publickey|ssh: handshake failed: EOF|handshake failed: read tcp .*connection reset/i,
  },
  {
    code: 'FIA446',
    cause: 'the Git host does not know the repository (or hides it from these credentials)',
    pattern: /repository not found|The project you were looking for could not be found|does not appear to be a git repository|TF401019|Repository .* does not exist/i,
  },
  {
    code: 'FIA445',
    cause: 'the Git host refuses the HTTPS credentials',
    pattern: /authentication required|Invalid username or (password|token)|HTTP Basic: Access denied|Authentication failed for|could not read Username|401 Unauthorized|invalid credentials|Bad credentials|token (has )?expired/i,
  },
  {
    code: 'FIA433',
    cause: 'the Git source cannot be set up',
    pattern: /failed configuring source manager|referenced git repository does not exist|failed to get referenced git repository|failed to get auth secret|failed to configure authentication options|invalid source configuration|cross-namespace references have been blocked|secrets? "[^"]*" not found/,
  },
]

/** The family a Git-side message belongs to, or undefined. */
export function classifyGit(message: string): MessageFamily | undefined {
  return GIT_FAMILIES.find((f) => f.pattern.test(message))
}

/** What an unclassified Git message was checked against, for the finding's evidence. */
export const GIT_RULED_OUT = 'ruled out: feature gates, template and signing errors, a missing or unreadable update.path, repository rules, protected branches, write access, non-fast-forward, missing refs, SSH host keys and keys, HTTPS credentials, unknown repositories, source set-up'
