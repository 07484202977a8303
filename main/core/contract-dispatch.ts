/**
 * The single entry point every transport uses to run a contract call: checks the method name,
 * validates the arguments against the schema in common/, runs the service method, and turns any
 * outcome into a serializable result. Hosts add their own sender checks in front of this.
 */
import { contractSchemas, isMethodName, type MethodName } from '../../common/contract';
import { SkyfoldError, toErrorDto, type ErrorDto } from '../../common/errors';
import type { ContractHandlers } from './service';

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: ErrorDto };

/** Never throws: bad method names and arguments come back as `invalid_argument` outcomes. */
export async function invokeContract(
  handlers: ContractHandlers,
  method: unknown,
  args: unknown,
): Promise<CallOutcome> {
  try {
    const name = checkedMethod(method);
    const value = await handlers[name](parseArgs(name, args) as never);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toErrorDto(error) };
  }
}

function checkedMethod(method: unknown): MethodName {
  if (!isMethodName(method))
    throw new SkyfoldError('invalid_argument', `unknown method ${JSON.stringify(method)}`);
  return method;
}

/** Validates `args` for `method`; throws invalid_argument naming the first problems. */
export function parseArgs(method: MethodName, args: unknown): unknown {
  const result = contractSchemas[method].safeParse(args ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`)
    .join('; ');
  throw new SkyfoldError('invalid_argument', `${method}: ${problems}`);
}
