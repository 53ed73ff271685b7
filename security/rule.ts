/**
 * A security rule: an id reviewers can cite, one line saying why it exists, the resource types
 * it reads, and a check over one synthesized stack. A check lists every address it examined
 * (so a rule that found nothing to check is visible as such) and every failure by address.
 */
import type { StackMetadata } from "./stack-metadata";
import type { TerraformJson } from "./terraform-json";

export interface StackUnderCheck {
  readonly json: TerraformJson;
  readonly metadata: StackMetadata;
}

export interface RuleFailure {
  /** Terraform address: `aws_api_gateway_method.get_premium`, `output.client_secrets`, `provider.aws`. */
  readonly address: string;
  /** What is wrong, phrased to follow the address. */
  readonly problem: string;
}

export interface RuleOutcome {
  /** Addresses examined, in stack order, each once. */
  readonly checked: readonly string[];
  readonly failures: readonly RuleFailure[];
}

export interface SecurityRule {
  /** `M2M-<AREA>-<NNN>`, stable once published. */
  readonly id: string;
  /** One line: what the rule demands and why. */
  readonly rationale: string;
  /** Terraform resource types (or `output`, `provider`, `*`) the rule reads. */
  readonly resourceTypes: readonly string[];
  check(stack: StackUnderCheck): RuleOutcome;
}

/** Collects a check's examined addresses and failures. */
export class OutcomeRecorder {
  private readonly checkedAddresses = new Set<string>();
  private readonly failureList: RuleFailure[] = [];

  checked(address: string): this {
    this.checkedAddresses.add(address);
    return this;
  }

  fail(address: string, problem: string): this {
    this.checkedAddresses.add(address);
    this.failureList.push({ address, problem });
    return this;
  }

  /** Marks `address` checked and fails it with `problem` when `ok` is false. */
  expect(address: string, ok: boolean, problem: string): boolean {
    if (ok) this.checked(address);
    else this.fail(address, problem);
    return ok;
  }

  outcome(): RuleOutcome {
    return { checked: [...this.checkedAddresses], failures: [...this.failureList] };
  }
}
