import { type Chain, chainKey } from './chain.js';
import { type ChainDiff, diffChains } from './chain-diff.js';
import type { ChainProblem } from './chain-problem.js';
import { renderChainSvg } from './chain-svg.js';
import { checkChain } from './chain-validation.js';
import { chainCriticalPath } from './critical-path.js';
import type { Department } from './department.js';

/**
 * What an admin sees before publishing a chain version: every problem (in English and in Chinese naming the
 * steps, plus the version number publishing would refuse), and, once the input reads as a chain, its critical path
 * in working days, its picture (SVG) and its differences from the version in force. Nothing is stored.
 */
export type ChainPreview = {
  /** `industrial-enterprise@3`, once the input reads as a chain */
  key?: string;
  problems: ChainProblem[];
  /** publishing would be refused while there are problems */
  publishable: boolean;
  criticalPath?: ReturnType<typeof chainCriticalPath>;
  svg?: string;
  diff?: ChainDiff;
  chain?: Chain;
};

/** The version number publishing would refuse: one already published, or older than the latest. */
export function versionProblems(chain: Chain, latest: Chain | undefined): ChainProblem[] {
  if (!latest || chain.version > latest.version) return [];
  if (chain.version === latest.version) {
    return [
      {
        en: `chain ${chainKey(chain)} is already published and versions never change; publish version ${chain.version + 1}`,
        zh: `版本 ${chain.version} 已发布，已发布的版本不能修改：请把 version 改为 ${latest.version + 1}`,
      },
    ];
  }
  return [
    {
      en: `chain ${chain.id} is already at version ${latest.version}; publish version ${latest.version + 1}`,
      zh: `流程 ${chain.id} 已有第 ${latest.version} 版：请把 version 改为 ${latest.version + 1}`,
    },
  ];
}

/** `inForce` is the latest published version of the same chain id (undefined for a new chain). */
export function previewChain(
  input: unknown,
  departments: readonly Department[],
  inForce: Chain | undefined,
): ChainPreview {
  const { chain, problems } = checkChain(input, departments);
  if (!chain) return { problems, publishable: false };
  const all = [...problems, ...versionProblems(chain, inForce)];
  const criticalPath = chainCriticalPath(chain);
  return {
    key: chainKey(chain),
    problems: all,
    publishable: all.length === 0,
    criticalPath,
    svg: renderChainSvg(chain, {
      critical: new Set(criticalPath.criticalSteps),
      stageDays: new Map(criticalPath.stages.map((s) => [s.stageId, s.workingDays])),
    }),
    diff: diffChains(inForce, chain),
    chain,
  };
}
