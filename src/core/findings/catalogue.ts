// The one catalogue of codes: findings (FIA…) and tool errors (ERR_…). `flux-imgauto codes`
// prints it and the README's tables are generated from it (npm run docs:codes).

import type { Finding, Severity, Subject } from './types.js'

export interface FindingCode {
  code: string
  severity: Severity
  title: string
  fix: string
  docs?: string
}

export interface ErrorCode {
  code: string
  exitCode: 2 | 3
  title: string
  suggestion: string
}

const IRC_DOCS = 'https://fluxcd.io/flux/components/image/imagepolicies/'
const IRR_DOCS = 'https://fluxcd.io/flux/components/image/imagerepositories/'
const IUA_DOCS = 'https://fluxcd.io/flux/components/image/imageupdateautomations/'
const IAC_DOCS = 'https://fluxcd.io/flux/guides/image-update/#configure-image-update-for-custom-resources'

export const FINDING_CODES = {
  FIA101: { code: 'FIA101', severity: 'error', title: 'The ImageRepository cannot scan: an exclusionList pattern does not compile', fix: 'Fix the pattern in spec.exclusionList; Flux uses Go RE2 syntax (no look-around, no backreferences).', docs: 'https://fluxcd.io/flux/components/image/imagerepositories/#exclusion-list' },
  FIA102: { code: 'FIA102', severity: 'error', title: 'The ImagePolicy is invalid and Flux stalls it', fix: 'Correct spec.policy: a valid Masterminds semver range, or order asc|desc.', docs: IRC_DOCS + '#policy' },
  FIA103: { code: 'FIA103', severity: 'error', title: 'No tags reach the policy', fix: 'Check that the ImageRepository scanned (flux get image repository) and that its exclusionList does not drop every tag; after a controller restart, run flux reconcile image repository.' },
  FIA104: { code: 'FIA104', severity: 'error', title: 'filterTags.pattern does not compile', fix: 'Fix spec.filterTags.pattern; Flux uses Go RE2 syntax (named groups as (?P<name>…), no look-around).', docs: IRC_DOCS + '#filter-tags' },
  FIA105: { code: 'FIA105', severity: 'error', title: 'No tag satisfies the semver range', fix: 'Widen the range, add -0 to admit pre-releases, or extract a three-part version with filterTags first.', docs: IRC_DOCS + '#semver' },
  FIA106: { code: 'FIA106', severity: 'error', title: 'filterTags.pattern matches no tag', fix: 'Compare the pattern with the tags listed as no-match; the pattern is unanchored unless it uses ^ and $.', docs: IRC_DOCS + '#filter-tags' },
  FIA107: { code: 'FIA107', severity: 'error', title: 'A value is not numeric, so the numerical policy fails as a whole', fix: 'Anchor filterTags.pattern (^…$) and extract only digits, e.g. pattern ^main-[a-f0-9]+-(?P<ts>[0-9]+)$ with extract $ts.', docs: IRC_DOCS + '#numerical' },
  FIA110: { code: 'FIA110', severity: 'warning', title: "The cluster's latestRef differs from the replay", fix: 'If the replay used the full tag list, reconcile the policy (flux reconcile image policy); otherwise replay with --tags-file holding the registry\'s full list.' },
  FIA111: { code: 'FIA111', severity: 'warning', title: 'The policy fails but keeps a stale latestRef, which automations still write', fix: 'Fix the policy error above; until then ImageUpdateAutomations keep writing the old tag.' },
  FIA112: { code: 'FIA112', severity: 'warning', title: 'Replayed over the ten tags the cluster keeps, not the full list', fix: 'Pass --tags-file with the registry\'s full tag list for a faithful replay.' },
  FIA120: { code: 'FIA120', severity: 'warning', title: 'The semver range has no upper bound', fix: 'Bound the range, e.g. ">=1.4.0 <2.0.0", so a new major is not deployed unreviewed.', docs: IRC_DOCS + '#semver' },
  FIA121: { code: 'FIA121', severity: 'warning', title: 'The semver range admits pre-releases', fix: 'Drop the -0 / pre-release part of the range unless this environment should run release candidates.', docs: IRC_DOCS + '#semver' },
  FIA122: { code: 'FIA122', severity: 'warning', title: 'Non-version tags such as latest or branch names can win an alphabetical pick', fix: 'Add an anchored filterTags.pattern that only admits sortable tags (e.g. ^[0-9]{14}$), or exclude such tags.', docs: IRC_DOCS + '#alphabetical' },
  FIA123: { code: 'FIA123', severity: 'warning', title: 'order: desc picks the smallest value, usually the oldest tag', fix: 'Use order: asc (the default) to pick the newest; desc means "select the first".', docs: IRC_DOCS + '#alphabetical' },
  FIA124: { code: 'FIA124', severity: 'info', title: 'filterTags.pattern is not anchored', fix: 'Anchor the pattern with ^ and $ so only whole tags of the intended shape match.', docs: IRC_DOCS + '#filter-tags' },
  FIA125: { code: 'FIA125', severity: 'warning', title: 'Several tags extract to the same value; Flux keeps only one of each', fix: 'Make the extract unique per tag (include the distinguishing part) or narrow the pattern.', docs: IRC_DOCS + '#filter-tags' },
  FIA126: { code: 'FIA126', severity: 'warning', title: "Flux's pick depends on Go's random map order", fix: 'Make extracted values unique as versions or numbers (e.g. avoid both v1.2.3 and 1.2.3), so the pick is deterministic.' },
  FIA127: { code: 'FIA127', severity: 'error', title: 'No version can ever satisfy the semver range', fix: 'Correct the range: its lower bound must lie below its upper bound, e.g. ">=1.4.0 <2.0.0".', docs: IRC_DOCS + '#semver' },
  FIA128: { code: 'FIA128', severity: 'warning', title: 'An alphabetical or numerical policy lets tags that are not versions into its pick', fix: 'Add an anchored pattern that admits only the sortable tags, e.g. pattern ^main-[a-f0-9]+-(?P<ts>[0-9]+)$ with extract $ts.', docs: IRC_DOCS + '#filter-tags' },
  FIA129: { code: 'FIA129', severity: 'warning', title: 'The numerical policy may compare values that are not numbers', fix: 'Extract only digits: a named group such as (?P<ts>[0-9]+) and extract $ts, with no other text in extract.', docs: IRC_DOCS + '#numerical' },
  FIA130: { code: 'FIA130', severity: 'error', title: 'filterTags.extract names a group the pattern does not have', fix: 'Name a group of the pattern ($name or ${name} for (?P<name>…), $1 for the first group); an unknown group expands to "" for every tag.', docs: IRC_DOCS + '#filter-tags' },
  FIA131: { code: 'FIA131', severity: 'warning', title: 'An alphabetical policy compares numbers of different widths as text', fix: 'Use a numerical policy over the number (filterTags.extract of the digits), or semver for versions; alphabetically "9" sorts after "10".', docs: IRC_DOCS + '#alphabetical' },
  FIA132: { code: 'FIA132', severity: 'error', title: 'The policy picks a cosign signature, attestation or SBOM tag', fix: 'Exclude them in the ImageRepository: keep "^.*\\.sig$" in spec.exclusionList (and add "^.*\\.att$", "^.*\\.sbom$"), or anchor filterTags.pattern to the version shape.', docs: IRR_DOCS + '#exclusion-list' },
  FIA133: { code: 'FIA133', severity: 'warning', title: "The exclusionList replaces Flux's default and no longer drops cosign .sig tags", fix: 'Add "^.*\\.sig$" to spec.exclusionList: a custom list replaces the default one instead of extending it.', docs: IRR_DOCS + '#exclusion-list' },
  FIA201: { code: 'FIA201', severity: 'error', title: 'The registry refused the credentials (401)', fix: 'Give the ImageRepository a spec.secretRef (kubernetes.io/dockerconfigjson) keyed by the registry host, with a token that has read access.', docs: IRR_DOCS + '#secret-reference' },
  FIA202: { code: 'FIA202', severity: 'error', title: 'The registry denied access (403)', fix: 'Grant the credentials read (pull) access to this repository: a token scope such as read:packages / read_registry, or the cloud reader role.' },
  FIA203: { code: 'FIA203', severity: 'error', title: 'The registry does not know the repository (404)', fix: 'Check spec.image: the registry host and the full repository path (Docker Hub images need their namespace, e.g. library/nginx).' },
  FIA204: { code: 'FIA204', severity: 'error', title: 'The registry rate-limited the scan (429)', fix: 'Authenticate with spec.secretRef (authenticated limits are higher), lengthen spec.interval, or scan a mirror.' },
  FIA205: { code: 'FIA205', severity: 'error', title: "The registry's TLS certificate is not trusted", fix: 'Give the ImageRepository a spec.certSecretRef with the CA in ca.crt (or spec.insecure: true for a plain-HTTP registry).', docs: IRR_DOCS + '#certificate-secret-reference' },
  FIA206: { code: 'FIA206', severity: 'error', title: 'The registry cannot be reached', fix: 'Check the host name in spec.image, DNS, and network policies or proxies between the controller and the registry.' },
  FIA207: { code: 'FIA207', severity: 'error', title: 'A static ECR token from a Secret has expired', fix: 'Set spec.provider: aws and let the controller fetch short-lived tokens (IRSA or EKS Pod Identity) instead of a CronJob-filled Secret.', docs: IRR_DOCS + '#provider' },
  FIA208: { code: 'FIA208', severity: 'warning', title: 'A cloud registry is scanned without its provider', fix: 'Set spec.provider to aws, gcp or azure and grant the controller\'s service account access.', docs: IRR_DOCS + '#provider' },
  FIA209: { code: 'FIA209', severity: 'error', title: 'The cloud provider could not get credentials', fix: 'Wire the controller\'s identity (IRSA / workload identity annotations and labels), then restart its pod; locally, log in with the cloud CLI.', docs: IRR_DOCS + '#provider' },
  FIA210: { code: 'FIA210', severity: 'error', title: 'spec.image has a tag or a URL scheme; Flux stalls the ImageRepository', fix: 'Write spec.image as host/repository only, e.g. ghcr.io/org/app.' },
  FIA211: { code: 'FIA211', severity: 'warning', title: 'The credentials have no entry for this registry host', fix: 'Key the docker config auths by the exact registry host (ghcr.io, index.docker.io, harbor.example.com), with no scheme or path.' },
  FIA212: { code: 'FIA212', severity: 'warning', title: "A Harbor robot account's \"$\" seems lost", fix: "Recreate the Secret with the username quoted: --docker-username='robot$project+name'." },
  FIA213: { code: 'FIA213', severity: 'error', title: 'The registry did not answer in time', fix: 'Check the registry and the network path; for large repositories raise spec.timeout.' },
  FIA214: { code: 'FIA214', severity: 'error', title: 'The registry failed with a server error', fix: 'Retry later; if it persists, the registry (or a proxy in front of it) is at fault.' },
  FIA215: { code: 'FIA215', severity: 'error', title: 'Object-level workload identity is used without its feature gate', fix: 'Enable --feature-gates=ObjectLevelWorkloadIdentity=true on image-reflector-controller, or drop spec.serviceAccountName.' },
  FIA218: { code: 'FIA218', severity: 'error', title: 'The registry speaks plain HTTP, and Flux asks over HTTPS', fix: 'Set spec.insecure: true on the ImageRepository for a plain-HTTP registry (or serve the registry over TLS).', docs: IRR_DOCS + '#insecure' },
  FIA219: { code: 'FIA219', severity: 'error', title: "The registry's token endpoint refused the request (400): usually a malformed image name", fix: 'Check spec.image: lower case, the full repository path (Docker Hub: namespace/name), no tag; then the credentials for that host.' },
  FIA216: { code: 'FIA216', severity: 'warning', title: 'The scan interval is very short', fix: 'Scan every 5m or more (spec.interval); every scan lists the tags again and counts against registry rate limits.', docs: IRR_DOCS + '#interval' },
  FIA217: { code: 'FIA217', severity: 'error', title: 'The registry pointed at another host, which was refused', fix: "A next-page Link must stay on the registry's own scheme, host and port; a token realm must be https (http only for a plain-HTTP registry) and not a loopback, private or link-local address unless it is the registry's own host:port. Fix the registry, or the proxy in front of it, that names the other host." },
  FIA301: { code: 'FIA301', severity: 'warning', title: 'The marker names no namespace, so Flux ignores it', fix: 'Write the setter as "<automation namespace>:<policy>", e.g. {"$imagepolicy": "flux-system:podinfo"}.', docs: IAC_DOCS },
  FIA302: { code: 'FIA302', severity: 'warning', title: "The marker names a namespace other than the automation's, so Flux ignores it", fix: "Keep the ImagePolicy in the automation's namespace and name that namespace in the marker, or add an automation in the policy's namespace.", docs: IAC_DOCS },
  FIA303: { code: 'FIA303', severity: 'warning', title: 'The marker has an unknown setter suffix, so Flux ignores it', fix: 'Use no suffix for the full image, or :tag, :name or :digest.', docs: IAC_DOCS },
  FIA304: { code: 'FIA304', severity: 'warning', title: 'The marker names an ImagePolicy that does not exist', fix: "Create the ImagePolicy in the automation's namespace, or correct the name in the marker." },
  FIA305: { code: 'FIA305', severity: 'warning', title: "The automation's policySelector excludes the policy the marker names", fix: 'Add the selector\'s labels to the ImagePolicy, or widen spec.policySelector.' },
  FIA306: { code: 'FIA306', severity: 'warning', title: 'The policy the marker names has no latestRef yet', fix: 'Fix the ImagePolicy until it selects a tag (flux-imgauto explain policy).' },
  FIA307: { code: 'FIA307', severity: 'warning', title: "The marker is on a key's line, not after the value", fix: 'Move the marker to the end of the line that holds the value: image: repo/app:1.0 # {"$imagepolicy": "ns:policy"}.', docs: IAC_DOCS },
  FIA308: { code: 'FIA308', severity: 'warning', title: 'The marker is above a mapping key, where it belongs to the key', fix: 'Move the marker to the end of the line that holds the value.', docs: IAC_DOCS },
  FIA309: { code: 'FIA309', severity: 'warning', title: 'The marker uses single quotes, which are not JSON', fix: 'Write it with double quotes: # {"$imagepolicy": "ns:policy"}.' },
  FIA310: { code: 'FIA310', severity: 'warning', title: 'The marker is not valid JSON (often text after the closing brace)', fix: 'Keep the comment to exactly # {"$imagepolicy": "ns:policy"}; move other remarks to their own line.' },
  FIA311: { code: 'FIA311', severity: 'warning', title: 'The marker has a second "#" after white space', fix: 'Write a single "#" (or several with no space between) before the JSON.' },
  FIA312: { code: 'FIA312', severity: 'warning', title: 'The marker JSON has a value that is not a string', fix: 'Every value in the marker object must be a JSON string.' },
  FIA313: { code: 'FIA313', severity: 'warning', title: 'The marker key is misspelt, or its setter is empty', fix: 'The key is exactly "$imagepolicy" (case-sensitive) and its value names the setter.' },
  FIA314: { code: 'FIA314', severity: 'warning', title: 'The marker is part of a multi-line comment', fix: 'Put the marker on its own comment line, directly above the sequence item or after the value.' },
  FIA315: { code: 'FIA315', severity: 'warning', title: "Another comment on the value's line hides the marker above it", fix: 'Move the marker to the end of the value\'s line, replacing the other comment (Flux reads only the first non-empty comment).' },
  FIA316: { code: 'FIA316', severity: 'warning', title: 'The marker follows a mapping or sequence, not a single value', fix: 'A marker replaces one scalar: put it after the value it should set.' },
  FIA317: { code: 'FIA317', severity: 'warning', title: 'The marker is attached to no value', fix: 'Put the marker after the value on its line, or directly above a sequence item with no blank line between.' },
  FIA320: { code: 'FIA320', severity: 'warning', title: 'The marker is in a file outside update.path', fix: "Widen the automation's spec.update.path (even to the repository root), or move the file under it.", docs: IAC_DOCS },
  FIA321: { code: 'FIA321', severity: 'warning', title: 'The marker is in a file Flux does not read (name)', fix: 'Rename the file to *.yaml or *.yml (lower case), or Kustomization.' },
  FIA322: { code: 'FIA322', severity: 'error', title: 'The marker is in a file that does not parse, which Flux skips silently', fix: 'Fix the YAML at the line given (a Helm template is not YAML; mark the values file instead).' },
  FIA323: { code: 'FIA323', severity: 'warning', title: 'The marker is in a kind: List file, which Flux unwraps', fix: 'Split the List into one document per object.' },
  FIA324: { code: 'FIA324', severity: 'warning', title: 'The marker is under a directory symlink, which Flux does not follow', fix: 'Replace the directory symlink with the directory itself, or point update.path at its target.' },
  FIA325: { code: 'FIA325', severity: 'warning', title: 'The file never contains "$imagepolicy" with double quotes, so Flux never parses it', fix: 'Write the marker as JSON with double quotes: # {"$imagepolicy": "ns:policy"}.' },
  FIA326: { code: 'FIA326', severity: 'info', title: 'A FIFO, socket or device in the checkout is skipped', fix: "Nothing to fix for Flux: Git cannot store such a file, so Flux's clone never has one. Remove it from the checkout if it does not belong there." },
  FIA327: { code: 'FIA327', severity: 'warning', title: 'A file Flux reads is larger than flux-imgauto reads (64 MiB), so its markers are not traced', fix: 'Split the file: Flux reads it whole, however large, but flux-imgauto stops at 64 MiB to keep its memory bounded.' },
  FIA328: { code: 'FIA328', severity: 'info', title: 'A file or directory Flux does not read cannot be read here, so it is not screened for near misses', fix: 'Make it readable (directories also searchable) by the user running flux-imgauto if markers in it should be reported.' },
  FIA330: { code: 'FIA330', severity: 'warning', title: 'A full-image setter sits on a tag field', fix: 'Use the ":tag" setter on tag fields (newTag, tag); the full setter writes "repository:tag".', docs: IAC_DOCS },
  FIA331: { code: 'FIA331', severity: 'warning', title: 'A ":tag" setter sits on an image field', fix: 'Use the full setter "ns:policy" on image fields, or ":name" and ":tag" on separate fields.', docs: IAC_DOCS },
  FIA332: { code: 'FIA332', severity: 'warning', title: 'A ":digest" setter will blank the field: the policy reflects no digest', fix: 'Set the ImagePolicy\'s spec.digestReflectionPolicy to IfNotPresent or Always.' },
  FIA333: { code: 'FIA333', severity: 'info', title: 'Flux also reformats this file when it writes it', fix: 'Expect these lines in the diff too, or format the file as yaml.v3 writes it (2-space indentation, no blank lines).' },
  FIA334: { code: 'FIA334', severity: 'warning', title: 'The setter changes the registry or repository, not only the tag', fix: "Point the ImageRepository at the image the field holds, or correct the field: Flux writes the policy's image name over the one in Git.", docs: IAC_DOCS },
  FIA335: { code: 'FIA335', severity: 'warning', title: 'The pending update is a downgrade or a major version jump', fix: 'Check the policy (explain policy): a downgrade means Git is ahead of what the policy selects; bound the range to the major you mean to run.' },
  FIA340: { code: 'FIA340', severity: 'error', title: "A policy's latestRef is not a valid image reference, which fails the whole run", fix: 'Fix the ImageRepository image (lower case, no scheme) so policies report a valid reference.' },
  FIA341: { code: 'FIA341', severity: 'error', title: 'update.path does not exist (or is a symlink loop), which fails the whole run', fix: "Correct the automation's spec.update.path (relative to the repository root)." },
  FIA342: { code: 'FIA342', severity: 'error', title: 'The policySelector does not parse; Flux stalls the automation', fix: 'Fix spec.policySelector (operators In, NotIn, Exists, DoesNotExist; values only with In and NotIn).' },
  FIA343: { code: 'FIA343', severity: 'error', title: 'The update strategy is not Setters; Flux stalls the automation', fix: 'Set spec.update.strategy: Setters (the only strategy), or leave it out.' },
  FIA344: { code: 'FIA344', severity: 'error', title: "A file or directory under update.path cannot be read; Flux's walk fails the whole run on one", fix: 'Make it readable (directories also searchable) by the user running flux-imgauto. Git stores no read permissions, so a checkout Git made is readable: look for a local chmod, or files another user wrote (a container volume, a build).' },
  FIA346: { code: 'FIA346', severity: 'error', title: 'The commit message template fails, so Flux commits nothing', fix: 'Fix spec.git.commit.messageTemplate (Go text/template with Sprig functions); flux-imgauto template renders it against sample changes.', docs: IUA_DOCS + '#message-template' },
  FIA347: { code: 'FIA347', severity: 'info', title: 'The commit message cannot be previewed: the template calls a Sprig function flux-imgauto does not render', fix: 'Nothing to fix for Flux; the preview shows the files but not the message.', docs: IUA_DOCS + '#message-template' },
  FIA401: { code: 'FIA401', severity: 'error', title: 'The image automation CRDs are not installed', fix: 'flux install --components-extra=image-reflector-controller,image-automation-controller (or add both to FluxInstance spec.components); flux check does not notice their absence.', docs: 'https://fluxcd.io/flux/installation/configuration/optional-components/' },
  FIA402: { code: 'FIA402', severity: 'error', title: 'An image automation controller is not deployed', fix: 'Install it: flux install --components-extra=image-reflector-controller,image-automation-controller, or add it to FluxInstance spec.components.' },
  FIA403: { code: 'FIA403', severity: 'error', title: 'An image automation controller is not ready', fix: 'kubectl -n flux-system describe deployment and logs of the controller; it does not reconcile while it is not running.' },
  FIA404: { code: 'FIA404', severity: 'info', title: 'The image CRDs do not serve image.toolkit.fluxcd.io/v1 (Flux 2.6 or older)', fix: 'Nothing to fix on this Flux: manifests must use v1beta2 here. Upgrading to Flux 2.7 or later brings v1; run flux migrate before Flux 2.9, which serves v1 only.' },
  FIA408: { code: 'FIA408', severity: 'info', title: 'A CRD still stores objects at an API version a later Flux removes', fix: 'Before upgrading Flux, migrate the stored objects (flux migrate, then the CRD status.storedVersions no longer lists the old version); the upgrade is refused or objects become unreadable otherwise.', docs: 'https://github.com/fluxcd/flux2/discussions/5572' },
  FIA409: { code: 'FIA409', severity: 'error', title: 'A failure message matches no cause this tool knows', fix: 'Read the quoted message and the controller logs; the doctor names no cause it cannot show. Please report the message so it can be classified.' },
  FIA405: { code: 'FIA405', severity: 'warning', title: 'flux get image all printed no objects', fix: 'It prints nothing, and exits 0, when the image CRDs are not installed: check kubectl get crd | grep image.toolkit.fluxcd.io, or run the doctor against the cluster.' },
  FIA406: { code: 'FIA406', severity: 'error', title: 'flux get image all reported an error', fix: 'See the message: the flux CLI could not read the cluster (credentials, context, RBAC).' },
  FIA407: { code: 'FIA407', severity: 'info', title: 'flux get image all and the API disagree', fix: 'Check that flux and the doctor use one context (--context, --kubeconfig); a status that changed between the two reads settles on its own.' },
  FIA410: { code: 'FIA410', severity: 'error', title: 'An ImageRepository fails to scan', fix: 'See the classified registry finding beside it; then flux reconcile image repository.' },
  FIA412: { code: 'FIA412', severity: 'warning', title: 'An ImageRepository has not scanned for more than twice its interval', fix: 'Check that image-reflector-controller runs (its logs), then flux reconcile image repository.' },
  FIA413: { code: 'FIA413', severity: 'warning', title: 'An ImageRepository is suspended: it does not scan', fix: 'flux resume image repository, if the suspension is not intended.' },
  FIA414: { code: 'FIA414', severity: 'warning', title: 'An ImageRepository has never completed a scan', fix: 'Check its Ready message and the controller logs; flux reconcile image repository.' },
  FIA420: { code: 'FIA420', severity: 'error', title: 'An ImagePolicy cannot select a tag', fix: 'See the replay findings beside it, and run flux-imgauto explain policy for the full tag list.' },
  FIA422: { code: 'FIA422', severity: 'error', title: "An ImagePolicy cannot use its ImageRepository (missing or cross-namespace access denied)", fix: 'Create the ImageRepository, or allow the policy\'s namespace in the repository\'s spec.accessFrom, or keep both in one namespace.', docs: IRC_DOCS + '#imagerepositoryref' },
  FIA423: { code: 'FIA423', severity: 'error', title: "An ImagePolicy finds no tags in the controller's database", fix: 'After a controller restart the repositories must rescan first: flux reconcile image repository, then image policy (image-reflector-controller >= 1.0.3 retries by itself), or keep the database on a PVC.' },
  FIA424: { code: 'FIA424', severity: 'warning', title: 'An ImagePolicy is suspended: it does not select', fix: 'flux resume image policy, if the suspension is not intended.' },
  FIA425: { code: 'FIA425', severity: 'error', title: "An ImagePolicy cannot fetch the selected tag's digest", fix: 'The credentials must allow the manifest request (HEAD /v2/<name>/manifests/<tag>) as well as the tag list, and the tag must still exist; set spec.digestReflectionPolicy: Never if no :digest marker needs it.', docs: IRC_DOCS },
  FIA430: { code: 'FIA430', severity: 'warning', title: 'An ImageUpdateAutomation is suspended: it does not commit', fix: 'flux resume image update, if the suspension is not intended.' },
  FIA431: { code: 'FIA431', severity: 'error', title: 'An ImageUpdateAutomation is stalled: Flux will not retry until its spec changes', fix: 'Fix the spec as the message says (git section, policySelector, template fields .Updated / .Changed.ImageResult, update strategy).' },
  FIA432: { code: 'FIA432', severity: 'warning', title: 'An ImageUpdateAutomation can use no ImagePolicy', fix: "Policies must be in the automation's namespace, match its policySelector and have a latestRef." },
  FIA433: { code: 'FIA433', severity: 'error', title: "An ImageUpdateAutomation cannot set up its Git source", fix: 'Check the GitRepository it references and its secret; the automation clones by itself and does not wait for the GitRepository to be Ready.' },
  FIA434: { code: 'FIA434', severity: 'error', title: 'The automation may not push: a read-only key or a token without write access', fix: 'Give the deploy key write access (flux bootstrap --read-write-key) or the token write scope (contents: write / write_repository).' },
  FIA435: { code: 'FIA435', severity: 'error', title: 'A protected branch refuses the push', fix: 'Push to another branch (spec.git.push.branch) and merge through a pull request, or let the bot bypass the protection.' },
  FIA436: { code: 'FIA436', severity: 'error', title: 'The push was not a fast-forward', fix: 'Someone else pushed meanwhile (Flux retries), or the push branch diverged after a merge: delete it so Flux recreates it.' },
  FIA441: { code: 'FIA441', severity: 'error', title: "The forge's repository rules refuse the push (required signatures, pull requests, checks)", fix: 'Sign the commits (spec.git.commit.signingKey, with the key registered for the bot), add the bot to the ruleset\'s bypass list, or push to an unprotected branch (spec.git.push.branch) and merge through a pull request.' },
  FIA442: { code: 'FIA442', severity: 'error', title: "The Git host's SSH key does not match known_hosts", fix: "Refresh known_hosts in the GitRepository's Secret with the host's current key (flux create secret git … --url=ssh://…, or ssh-keyscan the host), after checking the key change is genuine." },
  FIA443: { code: 'FIA443', severity: 'error', title: 'The Git host refuses the SSH key', fix: "Register the Secret's identity.pub as a deploy key of the repository (with write access for pushes), or correct the user and host in spec.url (ssh://git@host/org/repo)." },
  FIA444: { code: 'FIA444', severity: 'error', title: 'The SSH key in the Secret cannot be used', fix: "Recreate the Secret with an unencrypted OpenSSH private key in identity (or its passphrase in password), of a supported type (ed25519, ecdsa, rsa ≥ 2048): flux create secret git." },
  FIA445: { code: 'FIA445', severity: 'error', title: 'The Git host refuses the HTTPS credentials', fix: "Put a valid token in the GitRepository's Secret (username + password, or bearerToken), not expired, with read access (and write access for the automation)." },
  FIA446: { code: 'FIA446', severity: 'error', title: 'The Git host does not know the repository, or hides it from these credentials', fix: 'Check spec.url (organisation, repository, .git suffix as the host expects) and that the key or token can see the repository.' },
  FIA447: { code: 'FIA447', severity: 'error', title: 'The commit message template does not parse or run', fix: 'Fix spec.git.commit.messageTemplate (Go text/template over .AutomationObject, .Changed and .Values); preview it with flux-imgauto preview.', docs: IUA_DOCS + '#message-template' },
  FIA448: { code: 'FIA448', severity: 'error', title: 'The commit signing key cannot be used', fix: "Put the key Flux reads in the signing Secret (git.asc for gpg, identity for ssh), with passphrase (gpg) or password (ssh) when it is encrypted, a single key per Secret." },
  FIA437: { code: 'FIA437', severity: 'error', title: 'The checkout branch does not exist', fix: 'Correct spec.git.checkout.ref.branch (or the GitRepository spec.ref.branch).' },
  FIA438: { code: 'FIA438', severity: 'error', title: 'No push branch: the checkout is a tag, semver or commit', fix: 'Set spec.git.push.branch.' },
  FIA439: { code: 'FIA439', severity: 'error', title: 'The automation fails', fix: 'See the message; flux reconcile image update after fixing its cause.' },
  FIA440: { code: 'FIA440', severity: 'warning', title: 'An ImageUpdateAutomation has not run for more than twice its interval', fix: 'Check that image-automation-controller runs (its logs).' },
  FIA450: { code: 'FIA450', severity: 'warning', title: 'The pushed commit has not reached the GitRepository', fix: 'flux reconcile source git; check the GitRepository interval, branch and Ready message.' },
  FIA451: { code: 'FIA451', severity: 'warning', title: 'A Kustomization has not applied the latest revision', fix: 'See its Ready message (flux get kustomizations); flux reconcile kustomization once its error is fixed.' },
  FIA452: { code: 'FIA452', severity: 'warning', title: 'A HelmRelease applied from the pushed commit is not released', fix: 'See its Ready message (flux get helmreleases; kubectl describe helmrelease); fix the chart or values, then flux reconcile helmrelease.' },
  FIA453: { code: 'FIA453', severity: 'error', title: "The automation's GitRepository cannot fetch", fix: 'See the cause beside it; then flux reconcile source git. Nothing the automation pushes is deployed until it fetches again.' },
  FIA454: { code: 'FIA454', severity: 'error', title: 'A Kustomization built from the GitRepository fails', fix: 'See the cause beside it (flux get kustomizations); flux reconcile kustomization once it is fixed.' },
  FIA455: { code: 'FIA455', severity: 'error', title: "image-automation-controller may not read its own checkout (permission denied), which fails the whole run", fix: "update.path exists; the controller's process may not read the clone it made under /tmp. Git stores no read permissions, so look at the Deployment, not the repository: its securityContext (runAsUser, fsGroup), the volume mounted at /tmp (an emptyDir it can write), and SELinux/AppArmor denials in the node's audit log." },
  FIA456: { code: 'FIA456', severity: 'error', title: "spec.provider names a cloud the registry host does not belong to", fix: 'Set spec.provider to the cloud that hosts the registry (aws for <account>.dkr.ecr.<region>.amazonaws.com, gcp for gcr.io and <region>-docker.pkg.dev, azure for <name>.azurecr.io), or to generic (with a spec.secretRef) for any other registry.' },
  FIA457: { code: 'FIA457', severity: 'error', title: "The GitRepository's spec.serviceAccountName needs the ObjectLevelWorkloadIdentity feature gate", fix: 'Add --feature-gates=ObjectLevelWorkloadIdentity=true to both image-automation-controller and source-controller (each clones with the GitRepository\'s provider credentials itself; both check the gate for a GitRepository from Flux 2.7), or drop spec.serviceAccountName from the GitRepository to use the controllers\' own identity.' },
  FIA460: { code: 'FIA460', severity: 'error', title: 'A Secret the pipeline references does not exist', fix: 'Create the Secret in the namespace of the object that names it (Flux reads Secrets only from there), or correct the name.' },
  FIA461: { code: 'FIA461', severity: 'error', title: 'A referenced Secret lacks the keys Flux reads', fix: 'Recreate it with the keys listed (flux create secret oci|git|tls, or kubectl create secret docker-registry for .dockerconfigjson).' },
  FIA501: { code: 'FIA501', severity: 'warning', title: 'A production automation commits straight to the branch it checks out', fix: 'Set spec.git.push.branch to a separate branch (e.g. flux-image-updates) and merge it through a pull request with checks.', docs: IUA_DOCS + '#push' },
  FIA502: { code: 'FIA502', severity: 'warning', title: 'A refspec push without push.branch pushes the checkout branch first', fix: 'Set spec.git.push.branch as well; without it the checkout branch is pushed before the refspec, and a protected checkout branch refuses it (image-automation-controller #922).', docs: IUA_DOCS + '#push' },
  FIA503: { code: 'FIA503', severity: 'error', title: 'The message template uses a field removed in the v1 API', fix: 'Use .Changed (.Changed.FileChanges, .Changed.Objects, .Changed.Changes) instead of .Updated and .Changed.ImageResult; Flux stalls the automation otherwise.', docs: IUA_DOCS + '#message-template' },
  FIA504: { code: 'FIA504', severity: 'error', title: 'The manifest uses an image API version the Flux in use does not serve', fix: 'Write the apiVersion that Flux serves (the fields of v1beta2 and v1 are the same), or upgrade Flux when the manifest is newer than it; the finding names both for the version assumed.' },
  FIA507: { code: 'FIA507', severity: 'warning', title: 'The manifest uses an image API version that is deprecated, or removed in some Flux it may meet', fix: 'Move to apiVersion image.toolkit.fluxcd.io/v1 once every cluster runs Flux 2.7 or later (2.9 serves v1 only); state the version with --flux-version.' },
  FIA508: { code: 'FIA508', severity: 'info', title: 'Works on this Flux version, fails after an upgrade', fix: 'Change it before upgrading Flux, as the message says (the upgrade notes: flux migrate, .Changed instead of .Updated).' },
  FIA505: { code: 'FIA505', severity: 'warning', title: 'A flux-imgauto:ignore comment gives no reason or names no known code, so it silences nothing', fix: 'Write it as # flux-imgauto:ignore FIA120 <why this is intended>.' },
  FIA506: { code: 'FIA506', severity: 'error', title: 'A manifest with Flux image objects does not parse', fix: 'Fix the YAML at the line given; Flux (and lint) cannot read the objects in it.' },
  FIA509: { code: 'FIA509', severity: 'error', title: 'A Flux image object has a field of the wrong type, so the API server refuses it', fix: 'Write the field with the type the CRD declares (quote numbers meant as strings, e.g. range: ">=1.0.0", tag: "1.0").' },
} as const satisfies Record<string, FindingCode>

export type FindingCodeId = keyof typeof FINDING_CODES

export const ERROR_CODES = {
  ERR_USAGE: { code: 'ERR_USAGE', exitCode: 2, title: 'The command line is incomplete or contradictory', suggestion: 'Run the command with --help.' },
  ERR_FILE_READ: { code: 'ERR_FILE_READ', exitCode: 2, title: 'A file named on the command line cannot be read', suggestion: 'Check the path and its permissions.' },
  ERR_YAML: { code: 'ERR_YAML', exitCode: 2, title: 'A manifest is not valid YAML', suggestion: 'Fix the YAML at the line given.' },
  ERR_MANIFEST: { code: 'ERR_MANIFEST', exitCode: 2, title: 'A manifest does not hold the object the command needs', suggestion: 'Name the object, or give the file that defines it.' },
  ERR_TAGS_FILE: { code: 'ERR_TAGS_FILE', exitCode: 2, title: 'The tags file is neither one tag per line nor a JSON array of strings', suggestion: 'Write one tag per line, or a JSON array of strings.' },
  ERR_NOT_FOUND: { code: 'ERR_NOT_FOUND', exitCode: 2, title: 'The named object does not exist in the cluster', suggestion: 'Check the name and the namespace (-n), e.g. with flux get image policy -A.' },
  ERR_FLUX_OUTPUT: { code: 'ERR_FLUX_OUTPUT', exitCode: 2, title: 'The flux get output cannot be read', suggestion: 'Pass the output of flux get image all as printed, with its header lines (not --no-header).' },
  ERR_SCAFFOLD_SPEC: { code: 'ERR_SCAFFOLD_SPEC', exitCode: 2, title: 'The scaffold spec is incomplete or unsafe', suggestion: 'Correct the flag or the field named (flux-imgauto scaffold --help shows the spec file).' },
  ERR_INSERT: { code: 'ERR_INSERT', exitCode: 2, title: 'A file given to --insert has no field that holds the image', suggestion: 'Name the file whose image:, newName/newTag or repository/tag holds the image, or paste the snippet by hand.' },
  ERR_FILE_EXISTS: { code: 'ERR_FILE_EXISTS', exitCode: 2, title: 'A file scaffold would write already exists', suggestion: 'Choose an empty --out directory, or move the file away; scaffold never overwrites.' },
  ERR_FILE_WRITE: { code: 'ERR_FILE_WRITE', exitCode: 2, title: 'A file cannot be written safely', suggestion: 'Check the path named (its symlinks, its mode, its filesystem); nothing was written.' },
  ERR_KUBECONFIG: { code: 'ERR_KUBECONFIG', exitCode: 2, title: 'No usable kubeconfig or context', suggestion: 'Pass --kubeconfig and --context, or set KUBECONFIG.' },
  ERR_CLUSTER_UNREACHABLE: { code: 'ERR_CLUSTER_UNREACHABLE', exitCode: 3, title: 'The Kubernetes API server cannot be reached', suggestion: 'Check the network path and the context; kubectl cluster-info should answer.' },
  ERR_FORBIDDEN: { code: 'ERR_FORBIDDEN', exitCode: 3, title: 'The API server refused a read', suggestion: 'Grant get/list on the resource named in the message, or use a context that has it.' },
  ERR_REGISTRY: { code: 'ERR_REGISTRY', exitCode: 3, title: 'The registry could not be read', suggestion: 'See the registry finding for the cause; --tags-file replays over a list you provide.' },
  ERR_API: { code: 'ERR_API', exitCode: 3, title: 'The API server failed a read', suggestion: 'Retry; if it persists, check the API server and the image CRDs (kubectl get crd | grep image.toolkit).' },
} as const satisfies Record<string, ErrorCode>

export type ErrorCodeId = keyof typeof ERROR_CODES

/** A finding from the catalogue, with this occurrence's message and evidence. */
export function finding(code: FindingCodeId, message: string, extra: { subject?: Subject; evidence?: string[]; fix?: string } = {}): Finding {
  const c: FindingCode = FINDING_CODES[code]
  const f: Finding = { code: c.code, severity: c.severity, title: c.title, message, fix: extra.fix ?? c.fix }
  if (extra.subject) f.subject = extra.subject
  if (extra.evidence && extra.evidence.length > 0) f.evidence = extra.evidence
  if (c.docs) f.docs = c.docs
  return f
}
