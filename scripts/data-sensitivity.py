#!/usr/bin/env python3
"""One-at-a-time sensitivity of the shipped data (docs/data.md, second round, 5).

Changes one estimate at a time in a temporary copy of graphs/ (keeping supply sums <= 1),
then runs `analyze --by country` (national list) and `scenario --name us-embargo`
(lost production and first cause per system), and prints what moved against the base.
Needs `cargo build --release` first. The replacements are exact strings of graphs/:
if the data changes, the script stops with the string it no longer finds.
"""
import json, subprocess, shutil, os, sys
WT=os.path.dirname(os.path.dirname(os.path.abspath(__file__))); BIN=WT+'/target/release/chokepoint'
P=[
 ('Rotek share of the CT gantry bearing (0.326)', 'graphs/systems/ct.yaml',
   [('share: { value: 0.326, confidence: low, cite: [ge-lightspeed-bearing','share: { value: 0.10, confidence: low, cite: [ge-lightspeed-bearing')],
   [('share: { value: 0.326, confidence: low, cite: [ge-lightspeed-bearing','share: { value: 1.0, confidence: low, cite: [ge-lightspeed-bearing')]),
 ('Huawei Ascend share of GPUs (0.05)', 'graphs/shared/electronics.yaml',
   [('share: { value: 0.05, low: 0.0, high: 0.05, confidence: low, cite: [wegabyte-ascend]','share: { value: 0.0, confidence: low, cite: [wegabyte-ascend]')],
   [('share: { value: 0.95, confidence: low, cite: [hitconsultant-2026','share: { value: 0.70, confidence: low, cite: [hitconsultant-2026'),('share: { value: 0.05, low: 0.0, high: 0.05, confidence: low, cite: [wegabyte-ascend]','share: { value: 0.30, confidence: low, cite: [wegabyte-ascend]')]),
 ('domestic SoC share (0.30)', 'graphs/shared/electronics.yaml',
   [('share: { low: 0.0778, value: 0.30, high: 0.30, confidence: low, cite: [seed-001], note: "[I] estimate: domestic SoCs','share: { value: 0.0778, confidence: low, cite: [seed-001], note: "[I] estimate: domestic SoCs')],
   [('{ country: US, share: { value: 0.70, confidence: low, cite: [seed-001, ahmenkong-2012, ti-sboa361]','{ country: US, share: { value: 0.50, confidence: low, cite: [seed-001, ahmenkong-2012, ti-sboa361]'),('share: { low: 0.0778, value: 0.30, high: 0.30, confidence: low, cite: [seed-001], note: "[I] estimate: domestic SoCs','share: { value: 0.50, confidence: low, cite: [seed-001], note: "[I] estimate: domestic SoCs')]),
 ('domestic ADC share (0.10)', 'graphs/shared/electronics.yaml',
   [('share: { value: 0.10, low: 0.0, high: 0.10, confidence: low, cite: [domain-facts, ahmenkong-2012]','share: { value: 0.0, confidence: low, cite: [domain-facts, ahmenkong-2012]')],
   [('share: { value: 0.45, low: 0.40, high: 0.45, confidence: low, cite: [ti-sboa361], note: "TI/ADI','share: { value: 0.30, confidence: low, cite: [ti-sboa361], note: "TI/ADI'),('share: { value: 0.45, low: 0.40, high: 0.45, confidence: low, cite: [ti-sboa361, domain-facts], note: "TI/ADI','share: { value: 0.30, confidence: low, cite: [ti-sboa361, domain-facts], note: "TI/ADI'),('share: { value: 0.10, low: 0.0, high: 0.10, confidence: low, cite: [domain-facts, ahmenkong-2012]','share: { value: 0.40, confidence: low, cite: [domain-facts, ahmenkong-2012]')]),
 ('Moog share of slip rings and data links (0.60)', 'graphs/systems/ct.yaml',
   [('share: { value: 0.60, low: 0.40, high: 0.60, confidence: low, cite: [seed-000, moog-slip-rings]','share: { value: 0.40, confidence: low, cite: [seed-000, moog-slip-rings]')]*1,
   [('share: { value: 0.40, low: 0.30, high: 0.40, confidence: low, cite: [allgaeuer-2023','share: { value: 0.0, confidence: low, cite: [allgaeuer-2023')]),
 ('GE CT built in China (0.70 of GE)', 'graphs/systems/ct.yaml',
   [('share: { low: 0.0374, value: 0.2282, high: 0.2282,','share: { low: 0.0374, value: 0.163, high: 0.163,'),('share: { low: 0.016, value: 0.0978, high: 0.0978,','share: { low: 0.016, value: 0.163, high: 0.163,')],
   [('share: { low: 0.0374, value: 0.2282, high: 0.2282,','share: { low: 0.0374, value: 0.2934, high: 0.2934,'),('share: { low: 0.016, value: 0.0978, high: 0.0978,','share: { low: 0.016, value: 0.0326, high: 0.0326,')]),
 ('Spellman share of HV generators (0.15)', 'graphs/shared/xray.yaml',
   [('share: { value: 0.15, confidence: low, cite: [seed-000, cpi-manual]','share: { value: 0.05, confidence: low, cite: [seed-000, cpi-manual]')],
   [('share: { value: 0.15, confidence: low, cite: [seed-000, cpi-manual]','share: { value: 0.25, confidence: low, cite: [seed-000, cpi-manual]')]),
 ('Cryomech (US) share of cryocoolers (0.20)', 'graphs/systems/mri.yaml',
   [('share: { value: 0.20, low: 0.05, high: 0.20, confidence: low, cite: [gandla-2023]','share: { value: 0.05, confidence: low, cite: [gandla-2023]')],
   [('share: { value: 0.80, low: 0.60, high: 0.80, confidence: low, cite: [gandla-2023]','share: { value: 0.60, confidence: low, cite: [gandla-2023]'),('share: { value: 0.20, low: 0.05, high: 0.20, confidence: low, cite: [gandla-2023]','share: { value: 0.40, confidence: low, cite: [gandla-2023]')]),
 ('Siemens PET/CT imported from the US (0.25 of Siemens)', 'graphs/systems/pet.yaml',
   [('{ supplier: siemens-healthineers, country: US, share: { value: 0.0526,','{ supplier: siemens-healthineers, country: US, share: { value: 0.0,')],
   [('{ supplier: siemens-healthineers, country: CN, share: { value: 0.1577,','{ supplier: siemens-healthineers, country: CN, share: { value: 0.0,'),('{ supplier: siemens-healthineers, country: US, share: { value: 0.0526,','{ supplier: siemens-healthineers, country: US, share: { value: 0.2103,')]),
]
def run(dirp):
    a=json.loads(subprocess.run([BIN,'analyze',dirp,'--by','country','--format','json','--top','0','-q'],capture_output=True,text=True,check=True).stdout)
    nat=['%s:%s%s'%('+'.join(n['events']),','.join(n['systems']),'(c)' if n['conditional'] else '') for n in a['national']]
    s=json.loads(subprocess.run([BIN,'scenario',dirp,'--name','us-embargo','--format','json','-q'],capture_output=True,text=True,check=True).stdout)
    lp={x['id']:round(x['lost_production'],1) for x in s['scenarios'][0]['systems']}
    cause={x['id']:(x['deepest_cause'] or {}).get('id') for x in s['scenarios'][0]['systems']}
    return nat, lp, cause
import tempfile
tmp=tempfile.mkdtemp()
base=run(WT+'/graphs')
print('BASE', base)
for label, f, lo, hi in P:
    for case, reps in (('low',lo),('high',hi)):
        if not reps: print(label, case, 'n/a'); continue
        d=os.path.join(tmp,'g'); shutil.rmtree(d, ignore_errors=True); shutil.copytree(WT+'/graphs', d)
        p=os.path.join(d, f[len('graphs/'):]); s=open(p).read()
        for old,new in reps:
            assert old in s, (label, old); s=s.replace(old,new)
        open(p,'w').write(s)
        try:
            nat, lp, cause = run(d)
        except subprocess.CalledProcessError as e:
            print(label, case, 'ERROR', e.stderr[-500:]); continue
        dlp={k:round(lp[k]-base[1][k],1) for k in lp if abs(lp[k]-base[1][k])>0.05}
        dc={k:cause[k] for k in cause if cause[k]!=base[2][k]}
        print(json.dumps({'param':label,'case':case,'national':nat if nat!=base[0] else 'unchanged','dLP':dlp,'cause':dc}, ensure_ascii=False))
