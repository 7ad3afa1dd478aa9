import { createRunner } from '../core/run.ts';

/**
 * Python's own XML parser reads the same metadata files, as a second opinion for the tests:
 * `primary` prints every package in the shape of RpmRepoPackage (without `repository`),
 * `filelists` prints pkgid -> files, `comps` prints groups and environments.
 */
const SCRIPT = String.raw`
import gzip, json, sys
import xml.etree.ElementTree as ET

mode, path = sys.argv[1], sys.argv[2]
C = '{http://linux.duke.edu/metadata/common}'
R = '{http://linux.duke.edu/metadata/rpm}'
F = '{http://linux.duke.edu/metadata/filelists}'
KINDS = ['provides', 'requires', 'conflicts', 'obsoletes',
         'recommends', 'suggests', 'supplements', 'enhances']

def dependency(entry):
    d = {'name': entry.get('name')}
    for key, attr in (('flags', 'flags'), ('epoch', 'epoch'), ('version', 'ver'), ('release', 'rel')):
        if entry.get(attr) is not None:
            d[key] = entry.get(attr)
    if entry.get('pre') == '1':
        d['pre'] = True
    return d

def package(el):
    v, cs, fmt = el.find(C + 'version'), el.find(C + 'checksum'), el.find(C + 'format')
    p = {
        'name': el.findtext(C + 'name'), 'arch': el.findtext(C + 'arch'),
        'evr': {'epoch': int(v.get('epoch') or 0), 'version': v.get('ver'), 'release': v.get('rel')},
        'checksum': {'type': cs.get('type'), 'value': cs.text},
        'summary': el.findtext(C + 'summary') or '',
        'packageSize': int(el.find(C + 'size').get('package')),
        'installedSize': int(el.find(C + 'size').get('installed')),
        'location': el.find(C + 'location').get('href'),
        'buildTime': int(el.find(C + 'time').get('build')),
    }
    for key, tag in (('sourceRpm', 'sourcerpm'), ('license', 'license'), ('vendor', 'vendor')):
        if fmt.findtext(R + tag):
            p[key] = fmt.findtext(R + tag)
    hr = fmt.find(R + 'header-range')
    if hr is not None:
        p['headerRange'] = {'start': int(hr.get('start')), 'end': int(hr.get('end'))}
    for kind in KINDS:
        p[kind] = [dependency(e) for e in fmt.findall(R + kind + '/' + R + 'entry')]
    p['files'] = [f.text for f in fmt.findall(C + 'file')]
    return p

out = [] if mode == 'primary' else {}
if mode in ('primary', 'filelists'):
    tag = C + 'package' if mode == 'primary' else F + 'package'
    for _, el in ET.iterparse(gzip.open(path), events=('end',)):
        if el.tag != tag:
            continue
        if mode == 'primary':
            out.append(package(el))
        else:
            out[el.get('pkgid')] = [f.text for f in el.findall(F + 'file')]
        el.clear()
else:
    root = ET.parse(gzip.open(path)).getroot()
    def reqs(g, t):
        return [r.text for r in g.findall('packagelist/packagereq') if (r.get('type') or 'mandatory') == t]
    out['groups'] = [{'id': g.findtext('id'), 'mandatory': reqs(g, 'mandatory'),
                      'default': reqs(g, 'default'), 'optional': reqs(g, 'optional')}
                     for g in root.findall('group')]
    out['environments'] = [{'id': e.findtext('id'),
                            'groups': [x.text for x in e.findall('grouplist/groupid')],
                            'optionalGroups': [x.text for x in e.findall('optionlist/groupid')]}
                           for e in root.findall('environment')]
json.dump(out, sys.stdout)
`;

/** Runs the script on a gzip-compressed metadata file and returns its JSON. */
export async function pythonReading(
  mode: 'primary' | 'filelists' | 'comps',
  gzPath: string,
): Promise<unknown> {
  const result = await createRunner().run(['python3', '-c', SCRIPT, mode, gzPath], {
    timeoutMs: 60_000,
  });
  return JSON.parse(result.stdout);
}
