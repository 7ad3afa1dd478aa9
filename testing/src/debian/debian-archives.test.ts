import { describe, expect, it } from 'vitest';
import { downloadSpecs, madisonVersions, policyCandidates } from './debian-archives.ts';

const POLICY = `nodejs:
  Installed: 20.20.2-1nodesource1+repack1
  Candidate: 20.20.2-1nodesource1+repack1
  Version table:
 *** 20.20.2-1nodesource1+repack1 100
        100 /var/lib/dpkg/status
     18.20.4+dfsg-1~deb12u3 500
        500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
busybox:
  Installed: (none)
  Candidate: 1:1.35.0-4+b3
  Version table:
     1:1.35.0-4+b3 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
`;

const MADISON = `    nodejs | 18.20.4+dfsg-1~deb12u3 | http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
    nodejs | 18.20.4+dfsg-1~deb12u2 | http://deb.debian.org/debian bookworm/main amd64 Packages
   busybox | 1:1.35.0-4+b3 | http://deb.debian.org/debian bookworm/main amd64 Packages
`;

describe('choosing a Debian version an archive serves', () => {
  it('reads the candidates of apt-cache policy and the served versions of apt-cache madison', () => {
    expect(policyCandidates(POLICY)).toEqual(
      new Map([
        ['nodejs', '20.20.2-1nodesource1+repack1'],
        ['busybox', '1:1.35.0-4+b3'],
      ]),
    );
    expect(madisonVersions(MADISON)).toEqual(
      new Map([
        ['nodejs', ['18.20.4+dfsg-1~deb12u3', '18.20.4+dfsg-1~deb12u2']],
        ['busybox', ['1:1.35.0-4+b3']],
      ]),
    );
  });

  it('asks for the newest served version only when the candidate came from elsewhere', () => {
    const names = ['nodejs', 'busybox', 'local-only'];
    const specs = downloadSpecs(names, policyCandidates(POLICY), madisonVersions(MADISON));
    expect(specs).toEqual(['nodejs=18.20.4+dfsg-1~deb12u3', 'busybox', 'local-only']);
  });
});
